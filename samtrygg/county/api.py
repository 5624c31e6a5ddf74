"""The county app's API operations, mounted under /api/v1/."""

from ninja import Router

router = Router()
