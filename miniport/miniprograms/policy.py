"""The miniprograms domain's rules: profile, categories, members, development settings, the API's credentials and quotas.

Registered with the kernel's table from this app's `ready()`."""

from miniport.core.policy import Rule, register

register(
    # Mini program information (INF)
    Rule("name.min_length", 4, "characters", "INF-2 [004]", "Shortest mini program name"),
    Rule(
        "name.max_length",
        30,
        "characters",
        "INF-2 [004]",
        "Longest mini program name",
        maximum=60,  # MiniProgram.name
    ),
    Rule(
        "name.changes_before_release",
        2,
        "changes",
        "INF-2 [004]",
        "Name changes before the first release",
    ),
    Rule(
        "name.changes_per_year_after_release_personal",
        2,
        "changes/year",
        "INF-2 [004]",
        "Name changes a year after release (personal)",
    ),
    Rule(
        "short_name.changes_per_year", 2, "changes/year", "INF-3 [004]", "Short name changes a year"
    ),
    Rule(
        "short_name.min_length", 2, "characters", "INF-3 (platform default)", "Shortest short name"
    ),
    Rule(
        "short_name.max_length",
        10,
        "characters",
        "INF-3 (platform default)",
        "Longest short name",
        maximum=30,  # MiniProgram.short_name
    ),
    Rule("avatar.changes_per_year", 5, "changes/year", "INF-4 [004]", "Avatar changes a year"),
    Rule(
        "avatar.max_bytes",
        2 * 1024 * 1024,
        "bytes",
        "INF-4 / wechat-api 7.5",
        "Largest avatar upload",
    ),
    Rule(
        "avatar.max_side_pixels", 4096, "pixels", "INF-4", "Largest avatar side before re-encoding"
    ),
    Rule("avatar.min_side_pixels", 144, "pixels", "INF-4", "Smallest avatar side"),
    Rule(
        "avatar.output_side_pixels",
        640,
        "pixels",
        "INF-4",
        "Side of the stored, re-encoded square avatar",
    ),
    Rule("introduction.min_length", 4, "characters", "INF-5 [004]", "Shortest introduction"),
    Rule(
        "introduction.max_length",
        120,
        "characters",
        "INF-5 [004]",
        "Longest introduction",
        maximum=200,  # MiniProgram.introduction
    ),
    Rule(
        "introduction.changes_per_month",
        5,
        "changes/month",
        "INF-5 [004]",
        "Introduction changes a month",
    ),
    Rule("categories.max", 5, "categories", "INF-6 [004]", "Service categories per mini program"),
    Rule(
        "categories.additions_per_month",
        5,
        "additions/month",
        "INF-6 [004]",
        "Category additions a month",
    ),
    Rule(
        "media.image_max_bytes",
        10 * 1024 * 1024,
        "bytes",
        "INF-4 / wechat-api 7.5 (/cgi-bin/media/upload)",
        "Largest temporary image upload",
    ),
    Rule(
        "media.ttl_days",
        3,
        "days",
        "wechat-api 7.5 (temporary media)",
        "Lifetime of an uploaded temporary media file",
    ),
    # Members (MEM)
    Rule(
        "members.developers.personal",
        5,
        "members",
        "MEM-3 [001, 003]",
        "Project members, personal subject",
    ),
    Rule(
        "members.developers.organization",
        10,
        "members",
        "MEM-3 [001, 003]",
        "Project members, organization not certified",
    ),
    Rule(
        "members.developers.certified",
        20,
        "members",
        "MEM-3 [001, 003]",
        "Project members, certified",
    ),
    Rule(
        "members.experience.personal",
        10,
        "members",
        "MEM-3 [001, 003]",
        "Experience members, personal subject",
    ),
    Rule(
        "members.experience.organization",
        20,
        "members",
        "MEM-3 [001, 003]",
        "Experience members, organization not certified",
    ),
    Rule(
        "members.experience.certified",
        40,
        "members",
        "MEM-3 [001, 003]",
        "Experience members, certified",
    ),
    Rule(
        "members.tester_of_max_miniprograms",
        50,
        "mini programs",
        "wechat-api 5.1 (85003)",
        "Mini programs one identity may test",
    ),
    # Development settings (DEV)
    Rule("dev.ip_whitelist_max", 10, "entries", "DEV-2", "Entries in the API IP whitelist"),
    Rule(
        "dev.domains_per_type_max",
        200,
        "domains",
        "DEV-3 / wechat-api 1.3",
        "Server domains per type",
    ),
    Rule(
        "dev.webview_domains_max",
        300,
        "domains",
        "DEV-3 / wechat-api 6.2",
        "Business (web-view) domains",
    ),
    Rule(
        "dev.domain_modifications_per_month",
        50,
        "changes/month",
        "DEV-3 / wechat-api 1.3",
        "Domain modifications a month",
    ),
    Rule(
        "dev.push_verify_timeout_seconds",
        5,
        "seconds",
        "DEV-3",
        "Timeout of the push URL handshake",
    ),
    Rule(
        "dev.push_token_min_length",
        3,
        "characters",
        "DEV-3 (WeChat message push)",
        "Shortest message push Token",
    ),
    Rule(
        "dev.push_token_max_length",
        32,
        "characters",
        "DEV-3 (WeChat message push)",
        "Longest message push Token",
    ),
    Rule(
        "dev.push_aes_key_length",
        43,
        "characters",
        "DEV-3 (WeChat message push)",
        "Length of the EncodingAESKey",
    ),
    # Server API (wechat-api.md)
    Rule("api.token_ttl_seconds", 7200, "seconds", "wechat-api 1.2", "access_token lifetime"),
    Rule(
        "api.token_grace_seconds",
        300,
        "seconds",
        "wechat-api 1.2",
        "Old token validity after a new fetch",
    ),
    Rule(
        "api.token_daily_quota", 2000, "calls/day", "wechat-api 1.3", "/cgi-bin/token calls a day"
    ),
    Rule(
        "api.stable_token_daily_quota",
        500000,
        "calls/day",
        "wechat-api 1.3",
        "/cgi-bin/stable_token calls a day",
    ),
    Rule(
        "api.stable_token_force_daily",
        20,
        "calls/day",
        "wechat-api 1.3",
        "Forced stable_token refreshes a day",
    ),
    Rule(
        "api.stable_token_force_interval_seconds",
        30,
        "seconds",
        "wechat-api 1.3",
        "Minimum gap between forced refreshes",
    ),
    Rule(
        "api.stable_token_refresh_window_seconds",
        300,
        "seconds",
        "wechat-api 2.2",
        "Remaining lifetime under which a new stable token is minted",
    ),
    Rule("api.jscode_ttl_seconds", 300, "seconds", "wechat-api 3.1", "Login code lifetime"),
    Rule(
        "api.jscode2session_per_user_minute",
        100,
        "calls/minute",
        "wechat-api 1.3",
        "jscode2session calls per user a minute",
    ),
    Rule(
        "api.call_count_lease",
        100,
        "calls",
        "DESIGN quotas (bench)",
        "Calls a web process counts in memory between writes to a high-rate daily quota",
    ),
    Rule(
        "media.image_max_side_pixels",
        4096,
        "pixels",
        "INF-4 / wechat-api 7.5 (/cgi-bin/media/upload)",
        "Largest side of a temporary image before re-encoding",
    ),
)
