from ninja import Router, Schema

from .scope import user_roles

router = Router(tags=["organisation"])


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request):
    user = request.auth
    return {"username": user.username, "full_name": user.full_name, "roles": sorted(user_roles(user))}
