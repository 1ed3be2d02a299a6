"""Registration, subject verification and login (REG-1..REG-11).

Split by step: `signup` (REG-1..3), `information` (REG-4..9: the draft under edit and the
ID-number and phone places every step shares), `subject` (REG-4/5), `administrator`
(REG-5/8: SMS code and the administrator's scan), `confirmation` (REG-9's pieces below
the mini program it opens; the action is `miniprograms.services.registration_confirm`),
`verification` (REG-6/7 remittance and certification, operator decisions), `login`
(REG-10; the surface passes the administrator bound to the account's mini program),
`password_reset` (the forgotten password and email of the console login), `state` (the
transition table), `provisioning` (the accounts part of `miniprograms.services.provisioning`).
"""

from miniport.accounts.services.administrator import (  # noqa: F401
    registration_complete_admin_check,
    registration_request_admin_check,
    registration_save_admin,
    registration_send_sms,
)
from miniport.accounts.services.login import (  # noqa: F401
    login_check_password,
    login_complete_scan,
    login_finish,
    login_request_scan,
    ops_login_check_password,
)
from miniport.accounts.services.password_reset import (  # noqa: F401
    account_recovery_complete,
    account_recovery_request,
    password_reset_check,
    password_reset_complete,
    password_reset_request,
)
from miniport.accounts.services.signup import (  # noqa: F401
    account_activate,
    account_register,
    activation_send,
)
from miniport.accounts.services.state import (  # noqa: F401
    registration_record_appid,
    registration_transition,
)
from miniport.accounts.services.subject import registration_save_subject  # noqa: F401
from miniport.accounts.services.verification import (  # noqa: F401
    registration_fail,
    registration_verify,
    registrations_fail_overdue,
    remittance_import_statement,
)
