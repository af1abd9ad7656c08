"""Route paths of visits, in one place so tests and links never spell them out."""

from __future__ import annotations

# The API
VISITS = "/api/visits"  # POST: a store's counter scans a member's card (staff)
STORES = "/api/stores"  # GET, POST: the club's stores (coordinators)
STORE = "/api/stores/{code:str}"  # PATCH: rename, move its time zone, close it (coordinators)
MY_CARD = "/api/me/card"  # GET: a member's own card token
CARD_REISSUE = "/api/members/{member_id:int}/card/reissue"  # POST: coordinators; older QRs stop working

# The pages
CARD_PAGE = "/card"  # the member's card
COUNTER_PAGE = "/counter"  # a store's counter: staff scan or type a card


def link(path: str, **ids: int) -> str:
    for name, value in ids.items():
        path = path.replace(f"{{{name}:int}}", str(int(value)))
    return path
