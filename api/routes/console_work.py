"""The console's working pages: sign-in, the pipeline forms, the 看板, "本周待跟进", uploads.

Every write here needs a signed-in session (cookie from the write token) and the form's CSRF
token, checked by ``session.require`` before anything is stored; each write goes through the
same Store methods as the token-gated JSON API in ``api/routes/targets.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import anyio
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.console import session
from api.console.render import html
from api.console.views import PIPELINE
from api.deps import CacheDep, RegionDep, SettingsDep, StoreDep
from api.models import StatusUpdate
from api.routes import imports
from api.routes import targets as target_routes
from api.routes.console import names
from graph import DatasetError, NodeKind, Problem, RelType, Store, TargetedFor

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
Csrf = Annotated[str, Form(max_length=200)]
UPLOADS = {
    "targets": ("targets.csv", "靶向企业名单（targets.csv）"),
    "local-firms": ("local_firms.csv", "本地企业（local_firms.csv）"),
    "dataset": ("dataset.zip", "整个数据集（压缩为 .zip 的数据集文件夹）"),
}


def safe_next(target: str) -> str:
    """Only a path on this site (never ``//host`` or a full URL) may follow a sign-in."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, settings: SettingsDep, next: str = "/") -> HTMLResponse:
    return html(
        request, "login.html", title="登录", next=safe_next(next), enabled=bool(settings.token)
    )


@router.post("/login", response_model=None)
async def login(
    request: Request,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=500)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    if not session.token_matches(settings, token):
        return html(
            request,
            "login.html",
            code=401,
            title="登录",
            next=safe_next(next),
            enabled=bool(settings.token),
            failed=True,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    session.set_cookie(request, response, session.new_session(settings))
    return response


@router.post("/logout")
async def logout(request: Request, csrf: Csrf = "") -> RedirectResponse:
    session.require(request, csrf)
    response = RedirectResponse("/", status_code=303)
    session.clear_cookie(response)
    return response


def back_to(firm_id: str, segment_id: str) -> RedirectResponse:
    return RedirectResponse(f"/firms/{firm_id}#t-{segment_id}", status_code=303)


@router.post("/targets/{firm_id}/{segment_id}/status")
def move_status(
    request: Request,
    firm_id: str,
    segment_id: str,
    store: StoreDep,
    status: Annotated[str, Form(max_length=20)],
    date: Annotated[dt.date, Form()],
    note: Annotated[str, Form(max_length=500)] = "",
    correction: Annotated[bool, Form()] = False,
    back: Annotated[str, Form(max_length=300)] = "",
    csrf: Csrf = "",
) -> RedirectResponse:
    session.require(request, csrf)
    update = target_routes.checked(
        lambda: StatusUpdate(status=status, date=date, note=note, correction=correction)
    )
    target_routes.update_status(firm_id, segment_id, update, store)
    if back:  # the 看板 moves a card and stays on the board
        return RedirectResponse(safe_next(back), status_code=303)
    return back_to(firm_id, segment_id)


@router.post("/targets/{firm_id}/{segment_id}/plan")
def set_plan(
    request: Request,
    firm_id: str,
    segment_id: str,
    store: StoreDep,
    owner: Annotated[str, Form(max_length=40)] = "",
    next_contact: Annotated[str, Form(max_length=10)] = "",
    csrf: Csrf = "",
) -> RedirectResponse:
    session.require(request, csrf)
    target_routes.checked(lambda: store.set_target_plan(firm_id, segment_id, owner, next_contact))
    return back_to(firm_id, segment_id)


@router.post("/targets/{firm_id}/{segment_id}/followups")
def add_followup(
    request: Request,
    firm_id: str,
    segment_id: str,
    store: StoreDep,
    date: Annotated[str, Form(max_length=10)],
    text: Text,
    csrf: Csrf = "",
) -> RedirectResponse:
    session.require(request, csrf)
    target_routes.checked(lambda: store.add_followup(firm_id, segment_id, date, text))
    return back_to(firm_id, segment_id)


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def entries_of(store: Store, chain_id: str | None = None) -> list[TargetedFor]:
    if chain_id is None:
        edges = store.edges(RelType.TARGETED_FOR)
    else:
        edges = list(store.targets(s.id for s in store.chain_segments(chain_id)))
    return [e for e in edges if isinstance(e, TargetedFor)]


@router.get("/chains/{chain_id}/pipeline", response_class=HTMLResponse)
def kanban(request: Request, chain_id: str, store: StoreDep) -> HTMLResponse:
    chain = store.get(chain_id, NodeKind.CHAIN)
    entries = entries_of(store, chain_id)
    columns = [(s, [e for e in entries if e.status == s]) for s in PIPELINE]
    ids = {e.src for e in entries} | {e.dst for e in entries}
    return html(
        request,
        "kanban.html",
        title=f"{chain.name} · 招商看板",
        chain=chain,
        columns=columns,
        pipeline=PIPELINE,
        names=names(store, ids),
        today=dt.date.today().isoformat(),
    )


@router.get("/pipeline/due", response_class=HTMLResponse)
def due_this_week(request: Request, store: StoreDep) -> HTMLResponse:
    today = dt.date.today()
    end = week_end(today).isoformat()
    due = sorted(
        (e for e in entries_of(store) if e.next_contact and e.next_contact <= end),
        key=lambda e: (e.next_contact, e.src, e.dst),
    )
    ids = {e.src for e in due} | {e.dst for e in due}
    return html(
        request,
        "due.html",
        title="本周待跟进",
        due=due,
        today=today.isoformat(),
        end=end,
        names=names(store, ids),
    )


@router.get("/upload", response_class=HTMLResponse)
async def upload_page(request: Request) -> HTMLResponse:
    return html(request, "upload.html", title="导入数据", uploads=UPLOADS)


def problem_rows(error: DatasetError | ValidationError, label: str) -> list[Problem]:
    if isinstance(error, DatasetError):
        return list(error.problems)
    return [Problem(label, 0, ".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]


@router.post("/upload/{kind}", response_class=HTMLResponse)
async def upload(
    request: Request,
    kind: str,
    store: StoreDep,
    settings: SettingsDep,
    cache: CacheDep,
    region: RegionDep,
    file: Annotated[UploadFile, File()],
    csrf: Csrf = "",
) -> HTMLResponse:
    session.require(request, csrf)
    if kind not in UPLOADS:
        return html(request, "upload.html", code=404, title="导入数据", uploads=UPLOADS)
    label = file.filename or UPLOADS[kind][0]
    try:
        if kind == "dataset":
            result = await imports.import_dataset(request, store, settings, cache)
        else:
            known = await anyio.to_thread.run_sync(  # a store read, off the event loop
                lambda: cache.get(store, "known-ids", lambda: imports.known_ids(store))
            )
            result = await imports.import_table(request, store, settings, UPLOADS[kind][0], known)
    except (DatasetError, ValidationError) as e:
        problems = problem_rows(e, label)
        return html(
            request,
            "upload.html",
            code=422,
            title="导入数据",
            uploads=UPLOADS,
            failed=UPLOADS[kind][1],
            file=label,
            problems=problems,
        )
    return html(request, "upload.html", title="导入数据", uploads=UPLOADS, done=result)
