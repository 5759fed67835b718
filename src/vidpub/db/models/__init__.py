"""All ORM models; importing this package registers every table on `Base.metadata`."""

from vidpub.db.models.accounts import Account, VideoChannel
from vidpub.db.models.actors import Actor, ActorImage, ActorImageType, ActorType, Server
from vidpub.db.models.application import Application
from vidpub.db.models.jobs import Job, JobState
from vidpub.db.models.oauth import OAuthClient, OAuthToken
from vidpub.db.models.registrations import RegistrationState, UserRegistration
from vidpub.db.models.users import NotificationSettingValue, User, UserNotificationSetting

__all__ = [
    "Account", "Actor", "ActorImage", "ActorImageType", "ActorType", "Application", "Job", "JobState",
    "NotificationSettingValue", "OAuthClient", "OAuthToken", "RegistrationState", "Server", "User",
    "UserNotificationSetting", "UserRegistration", "VideoChannel",
]
