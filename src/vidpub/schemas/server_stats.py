"""`ServerStats` (PeerTube 8's shape: the 7.0 spec lacks `totalLocalVideoDownloads` and the figures
per activity type, which real PeerTube sends)."""

from __future__ import annotations

from pydantic import create_model

from vidpub.schemas.common import ApiModel
from vidpub.services.server_stats import ACTIVITY_TYPES


class VideosRedundancyStats(ApiModel):
    strategy: str
    totalSize: int | None  # null for manual copies: no size is configured for them
    totalUsed: int
    totalVideoFiles: int
    totalVideos: int


class ServerStatsBase(ApiModel):
    totalUsers: int
    totalDailyActiveUsers: int
    totalWeeklyActiveUsers: int
    totalMonthlyActiveUsers: int
    totalModerators: int | None   # null when `stats.total_moderators.enabled` is false
    totalAdmins: int | None
    totalLocalVideos: int
    totalLocalVideoViews: int
    totalLocalVideoDownloads: int
    totalLocalVideoComments: int
    totalLocalVideoFilesSize: int
    totalVideos: int
    totalVideoComments: int
    totalLocalVideoChannels: int
    totalLocalDailyActiveVideoChannels: int
    totalLocalWeeklyActiveVideoChannels: int
    totalLocalMonthlyActiveVideoChannels: int
    totalLocalPlaylists: int
    totalInstanceFollowers: int
    totalInstanceFollowing: int
    videosRedundancy: list[VideosRedundancyStats]
    totalActivityPubMessagesProcessed: int
    totalActivityPubMessagesSuccesses: int
    totalActivityPubMessagesErrors: int
    activityPubMessagesProcessedPerSecond: float
    totalActivityPubMessagesWaiting: int
    averageRegistrationRequestResponseTimeMs: int | None
    totalRegistrationRequestsProcessed: int | None
    totalRegistrationRequests: int | None
    averageAbuseResponseTimeMs: int | None
    totalAbusesProcessed: int | None
    totalAbuses: int | None


ServerStats = create_model(
    "ServerStats", __base__=ServerStatsBase,
    **{f"totalActivityPub{kind}Messages{outcome}": (int, ...)
       for kind in ACTIVITY_TYPES for outcome in ("Successes", "Errors")})
