"""My Notifications tag: a user's notifications, their read marks, and the notification settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, SessionDep, pagination
from vidpub.schemas.notifications import (MarkRead, NotificationList, NotificationSettingsUpdate,
                                          notification_json)
from vidpub.services import notifications

router = APIRouter(tags=["My Notifications"])

NotificationTypes = Annotated[list[Annotated[int, Query(ge=1, le=100)]] | None, Query(max_length=100)]


@router.get("/users/me/notifications", response_model=NotificationList, operation_id="getUserNotifications")
async def list_notifications(session: SessionDep, config: ConfigDep, user: CurrentUser,
                             page: Pagination = pagination("-createdAt", notifications.SORT_COLUMNS),
                             unread: bool | None = None, typeOneOf: NotificationTypes = None):
    total, rows = await notifications.list_notifications(session, user, start=page.start, count=page.count,
                                                         sort=page.sort, unread=unread, types=typeOneOf)
    objects = await notifications.load_objects(session, rows)
    return NotificationList(total=total, data=[notification_json(row, objects, config.url, config.host)
                                               for row in rows])


@router.post("/users/me/notifications/read", status_code=204, operation_id="markUserNotificationsRead")
async def mark_read(body: MarkRead, session: SessionDep, user: CurrentUser):
    await notifications.mark_read(session, user, body.ids)
    return Response(status_code=204)


@router.post("/users/me/notifications/read-all", status_code=204, operation_id="markAllUserNotificationsRead")
async def mark_all_read(session: SessionDep, user: CurrentUser):
    await notifications.mark_all_read(session, user)
    return Response(status_code=204)


@router.put("/users/me/notification-settings", status_code=204, operation_id="updateUserNotificationSettings")
async def update_settings(body: NotificationSettingsUpdate, session: SessionDep, user: CurrentUser):
    await notifications.update_settings(session, user, body.model_dump(exclude_none=True))
    return Response(status_code=204)
