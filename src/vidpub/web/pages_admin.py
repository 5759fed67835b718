"""The small administration area: users, the instance's configuration (name and descriptions), jobs.
Each page asks for the same right as the API route it mirrors."""

from __future__ import annotations

from typing import Annotated

import pydantic
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from vidpub.api.deps import RuntimeDep, SessionDep
from vidpub.db.models import User
from vidpub.errors import ProblemError
from vidpub.schemas.custom_config import CustomConfig
from vidpub.services import custom_config, jobs_admin, users
from vidpub.services.auth.rights import UserRight, UserRole, has_right
from vidpub.web.rendering import PageRoute, PageUser, error_page, render, same_origin

router = APIRouter(include_in_schema=False, route_class=PageRoute)

Start = Annotated[int, Query(ge=0, le=100_000)]
ADMIN_PAGE_SIZE = 50
ROLE_LABELS = {UserRole.ADMINISTRATOR: "Administrator", UserRole.MODERATOR: "Moderator", UserRole.USER: "User"}
JOB_STATES = ("active", "waiting", "delayed", "failed", "completed")
INSTANCE_FIELDS = (("name", "Name", 120), ("shortDescription", "Short description", 250),
                   ("description", "Description", 10_000), ("terms", "Terms", 10_000))


def _refusal(request: Request, user: User | None, right: UserRight):
    """The sign-in redirect or the 403 page when `user` lacks `right`; None when allowed."""
    if user is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if not has_right(user.role, right):
        return error_page(request, 403, "You are not allowed to see this page.")
    return None


@router.get("/admin")
async def admin_home():
    return RedirectResponse("/admin/users", status_code=302)


@router.get("/admin/users")
async def admin_users(request: Request, session: SessionDep, user: PageUser, start: Start = 0,
                      search: Annotated[str | None, Query(max_length=250)] = None):
    if (refused := _refusal(request, user, UserRight.MANAGE_USERS)) is not None:
        return refused
    search = search.replace("\x00", "").strip() or None if search else None
    total, rows = await users.list_users(session, start=start, count=ADMIN_PAGE_SIZE, sort="-createdAt",
                                         search=search, blocked=None, role=None)
    return render(request, "admin_users.html", {
        "users": rows, "role_labels": ROLE_LABELS, "total": total, "start": start, "count": ADMIN_PAGE_SIZE,
        "search_users": search or "", "base_query": f"search={search}&" if search else "", "tab": "users"})


@router.get("/admin/config")
async def admin_config(request: Request, runtime: RuntimeDep, user: PageUser):
    if (refused := _refusal(request, user, UserRight.MANAGE_CONFIGURATION)) is not None:
        return refused
    return _config_page(request, runtime, custom_config_json_instance(runtime))


def custom_config_json_instance(runtime) -> dict:
    return custom_config.custom_config_json(runtime.config)["instance"]


def _config_page(request: Request, runtime, values: dict, status_code: int = 200, **extra):
    return render(request, "admin_config.html", {
        "fields": INSTANCE_FIELDS, "values": values, "tab": "config",
        "editable": bool(runtime.config.webadmin.configuration.edition.allowed), **extra}, status_code=status_code)


@router.post("/admin/config")
async def update_config(request: Request, session: SessionDep, runtime: RuntimeDep, user: PageUser):
    """Saves the instance's texts as `PUT /api/v1/config/custom` does with a body holding only them."""
    if (refused := _refusal(request, user, UserRight.MANAGE_CONFIGURATION)) is not None:
        return refused
    if not same_origin(request):
        return error_page(request, 403, "This form must be sent from this site.")
    form = await request.form(max_files=0, max_fields=20)
    values = {name: (form.get(name) if isinstance(form.get(name), str) else "")[:limit]
              for name, _, limit in INSTANCE_FIELDS}
    try:
        body = CustomConfig.model_validate({"instance": values})
        await custom_config.update(session, runtime, body)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        return _config_page(request, runtime, values, 400, error=f"{'.'.join(map(str, first['loc']))}: {first['msg']}")
    except ProblemError as problem:
        return _config_page(request, runtime, values, problem.status, error=problem.detail)
    return _config_page(request, runtime, custom_config_json_instance(runtime), saved=True)


@router.get("/admin/jobs")
async def admin_jobs(request: Request, session: SessionDep, user: PageUser,
                     state: Annotated[str | None, Query(max_length=30)] = None, start: Start = 0):
    if (refused := _refusal(request, user, UserRight.MANAGE_JOBS)) is not None:
        return refused
    if state is not None and state not in JOB_STATES:
        return error_page(request, 400, "Unknown job state.")
    total, jobs = await jobs_admin.list_jobs(session, [state] if state else [], None, start, ADMIN_PAGE_SIZE,
                                             ascending=False)
    return render(request, "admin_jobs.html", {
        "jobs": [job.model_dump(mode="json") for job in jobs], "states": JOB_STATES, "state": state,
        "total": total, "start": start, "count": ADMIN_PAGE_SIZE, "base_query": f"state={state}&" if state else "",
        "tab": "jobs"})
