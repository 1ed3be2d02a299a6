"""Registration, subject verification and login (REG-1..REG-11).

Split by step: `signup` (REG-1..3), `information` (REG-4..9), `verification`
(REG-6/7 remittance and certification, operator decisions), `login` (REG-10),
`provisioning` (the CLI's fully registered mini program).
"""

from miniport.accounts.services.information import (  # noqa: F401
    registration_complete_admin_check,
    registration_confirm,
    registration_request_admin_check,
    registration_save_admin,
    registration_save_subject,
    registration_send_sms,
)
from miniport.accounts.services.login import (  # noqa: F401
    login_bound_identity,
    login_check_password,
    login_complete_scan,
    login_finish,
    login_request_scan,
    ops_login_check_password,
)
from miniport.accounts.services.provisioning import provision_miniprogram  # noqa: F401
from miniport.accounts.services.signup import (  # noqa: F401
    account_activate,
    account_register,
    activation_send,
)
from miniport.accounts.services.state import registration_transition  # noqa: F401
from miniport.accounts.services.verification import (  # noqa: F401
    registration_fail,
    registration_verify,
    registrations_fail_overdue,
    remittance_import_statement,
)
