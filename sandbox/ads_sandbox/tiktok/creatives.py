"""The asset library: `file/image/ad/search|info/`, `file/video/ad/search|info/`,
`creative/portfolio/list/`, and `pixel/list/`.

Every ad's creative (deleted ads' too: the library keeps them) is an image or a video of its
advertiser's library. Shapes follow live answers captured from TikTok: asset times are
ISO 8601 in UTC ("2026-09-10T11:37:35Z"), pixels come under `data.pixels`.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from aiohttp import web

from ads_sandbox.tiktok.context import Call
from ads_sandbox.tiktok.params import checked_strings, page_info
from ads_sandbox.tiktok.vocab import PLACEMENT
from ads_sandbox.world.model import Account, Ad

CDN = "https://p16-sign-sg.tiktokcdn.com"
#: Width x height of the creatives: vertical, square and landscape.
SIZES = ((720, 1280), (1080, 1920), (1080, 1080), (1280, 720))


def iso_utc(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def numeric_id(text: str) -> str:
    """A 19-digit TikTok id derived from text."""
    return f"7{int(_digest(text)[:15], 16) % 10**18:018d}"


def _image(ad: Ad) -> dict[str, Any]:
    width, height = SIZES[ad.index % len(SIZES)]
    return {
        "image_id": ad.creative_id,
        "material_id": numeric_id(ad.creative_id),
        "format": "jpeg",
        "image_url": f"{CDN}/{ad.creative_id}~tplv-noop.image",
        "width": width,
        "height": height,
        "size": 40_000 + int(_digest(ad.creative_id)[:6], 16) % 900_000,
        "signature": _digest(f"image|{ad.creative_id}"),
        "file_name": f"{ad.name}.jpg",
        "displayable": True,
        "is_carousel_usable": width <= height,
        "create_time": iso_utc(ad.create_time - 3600),
        "modify_time": iso_utc(ad.create_time - 3600),
    }


def _video(ad: Ad) -> dict[str, Any]:
    width, height = SIZES[ad.index % len(SIZES)]
    duration_ms = 5_000 + int(_digest(ad.creative_id)[:6], 16) % 55_000
    bit_rate = 2_000_000 + int(_digest(ad.creative_id)[6:12], 16) % 6_000_000
    expires = ad.create_time + 86_400
    return {
        "video_id": ad.creative_id,
        "material_id": numeric_id(ad.creative_id),
        "format": "mp4",
        "width": width,
        "height": height,
        "duration": duration_ms / 1000,
        "bit_rate": bit_rate,
        "size": duration_ms * bit_rate // 8000,
        "signature": _digest(f"video|{ad.creative_id}"),
        "file_name": f"{ad.name}.mp4",
        "video_cover_url": f"{CDN}/{ad.creative_id}~tplv-noop.image",
        "preview_url": f"https://v16-tt4b.tiktokcdn.com/{_digest(ad.creative_id)}/video/",
        "preview_url_expire_time": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(expires)),
        "allowed_placements": list(PLACEMENT.values()),
        "allow_download": True,
        "displayable": True,
        "fix_task_id": None,
        "flaw_types": None,
        "create_time": iso_utc(ad.create_time - 3600),
        "modify_time": iso_utc(ad.create_time - 3600),
    }


def _assets(call: Call, video: bool) -> tuple[Account, list[dict[str, Any]]]:
    account = call.advertiser()
    ads = call.emulator.state.world.entities(account).ads
    build = _video if video else _image
    return account, [build(ad) for ad in ads if (ad.format == "video") == video]


def _search(call: Call, video: bool) -> web.Response:
    _, assets = _assets(call, video)
    key = "video_id" if video else "image_id"
    filtering = call.params.json_object("filtering") or {}
    for field, name in ((f"{key}s", key), ("material_ids", "material_id")):
        if field in filtering:
            wanted = set(checked_strings(f"filtering.{field}", filtering[field], 100, False))
            assets = [a for a in assets if a[name] in wanted]
    page, page_size = call.params.page(100, default_size=20)
    rows = assets[(page - 1) * page_size : page * page_size]
    return call.ok({"list": rows, "page_info": page_info(page, page_size, len(assets))})


def _info(call: Call, video: bool, max_ids: int) -> web.Response:
    key = "video_id" if video else "image_id"
    wanted = call.params.string_list(f"{key}s", required=True, max_items=max_ids)
    _, assets = _assets(call, video)
    by_id = {a[key]: a for a in assets}
    return call.ok({"list": [by_id[i] for i in wanted if i in by_id]})


def search_images(call: Call) -> web.Response:
    return _search(call, video=False)


def search_videos(call: Call) -> web.Response:
    return _search(call, video=True)


def image_info(call: Call) -> web.Response:
    return _info(call, video=False, max_ids=100)


def video_info(call: Call) -> web.Response:
    return _info(call, video=True, max_ids=60)


def list_portfolios(call: Call) -> web.Response:
    account = call.advertiser()
    portfolios = [
        {
            "creative_portfolio_id": numeric_id(f"{account.id}|{kind}"),
            "creative_portfolio_type": kind,
            "creative_portfolio_preview_url": f"{CDN}/portfolio/{account.id}/{kind.lower()}.png",
        }
        for kind in ("CTA", "PREMIUM_BADGE")
    ]
    page, page_size = call.params.page(100, default_size=20)
    rows = portfolios[(page - 1) * page_size : page * page_size]
    return call.ok(
        {"creative_portfolios": rows, "page_info": page_info(page, page_size, len(portfolios))}
    )


def pixels_of(account: Account) -> list[dict[str, Any]]:
    """One pixel per advertiser, two for every other one."""
    pixels = []
    for number in range(1 + account.index % 2):
        code = _digest(f"pixel|{account.id}|{number}")[:20].upper()
        pixels.append(
            {
                "pixel_id": numeric_id(code),
                "pixel_code": code,
                "pixel_name": f"{account.company} Pixel{' ' + str(number + 1) if number else ''}",
                "pixel_category": "CUSTOMIZE_EVENTS",
                "pixel_setup_mode": "STANDARD",
                "activity_status": "ACTIVE",
                "create_time": iso_utc(account.create_time + 86_400 * (number + 1)),
                "enable_first_party_cookies": True,
                "enable_expanded_data_sharing": number == 0,
                "advanced_matching_fields": {"email": True, "phone_number": True},
                "events": [
                    {
                        "event_id": "0",
                        "event_type": event,
                        "name": "",
                        "event_code": "",
                        "currency": account.currency,
                        "currency_value": "",
                        "deprecated": False,
                        "statistic_type": "EVERY_TIME",
                        "optimization_event": None if event == "PAGE_VIEW" else event,
                        "rules": [],
                    }
                    for event in ("PAGE_VIEW", "ON_WEB_CART", "SHOPPING")
                ],
            }
        )
    return pixels


def list_pixels(call: Call) -> web.Response:
    pixels = pixels_of(call.advertiser())
    for field in ("pixel_id", "code", "name"):
        value = call.params.string(field)
        if value is not None:
            key = {"code": "pixel_code", "name": "pixel_name"}.get(field, field)
            pixels = [
                p for p in pixels if (value in p[key] if field == "name" else p[key] == value)
            ]
    if call.params.string("order_by") == "LATEST_CREATE":
        pixels = pixels[::-1]
    page, page_size = call.params.page(20, default_size=10)
    rows = pixels[(page - 1) * page_size : page * page_size]
    return call.ok({"pixels": rows, "page_info": page_info(page, page_size, len(pixels))})
