"""OpenIDs and UnionIDs (OPN-2): stable per identity and app, unrelated across apps."""

from miniport.identities.selectors import openid_for, unionid_for


def test_openid_is_stable_for_the_same_identity_and_mini_program(make_identity):
    identity = make_identity()
    assert openid_for(identity, "wx0000000000000001") == openid_for(identity, "wx0000000000000001")


def test_openid_differs_across_mini_programs(make_identity):
    identity = make_identity()
    assert openid_for(identity, "wx0000000000000001") != openid_for(identity, "wx0000000000000002")


def test_openid_differs_across_identities(make_identity):
    first, second = make_identity(), make_identity()
    assert openid_for(first, "wx0000000000000001") != openid_for(second, "wx0000000000000001")


def test_openid_has_the_wechat_shape(make_identity):
    openid = openid_for(make_identity(), "wx0000000000000001")
    assert len(openid) == 28
    assert openid.startswith("o")
    assert openid.replace("-", "").replace("_", "").isalnum()


def test_unionid_is_shared_within_one_open_account_only(make_identity):
    """OPN-2: the same user gets the same UnionID in every app of one open platform account."""
    identity = make_identity()
    assert unionid_for(identity, "open-1") == unionid_for(identity, "open-1")
    assert unionid_for(identity, "open-1") != unionid_for(identity, "open-2")
    assert unionid_for(identity, "open-1") != openid_for(identity, "open-1")
