"""Mini program models, one module per area."""

from miniport.miniprograms.models.base import MiniProgram  # noqa: F401
from miniport.miniprograms.models.credentials import AccessToken, LoginCode, TokenFamily  # noqa: F401
from miniport.miniprograms.models.devsettings import DevSettings  # noqa: F401
from miniport.miniprograms.models.members import Member, MemberKind, MemberStatus  # noqa: F401
from miniport.miniprograms.models.notifications import Message, WebhookEndpoint  # noqa: F401
from miniport.miniprograms.models.profile import (  # noqa: F401
    CategoryStatus,
    MiniProgramCategory,
    PendingName,
)
from miniport.miniprograms.models.upload_keys import UploadKey  # noqa: F401
