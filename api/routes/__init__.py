"""One router per resource; ``ROUTERS`` lists them in the order the docs show them."""

from api.routes import (
    chains,
    console,
    firms,
    gaps,
    health,
    imports,
    kpis,
    maps,
    projects,
    ranking,
    segments,
    simulate,
    targets,
)

ROUTERS = [
    health.router,
    chains.router,
    gaps.router,
    gaps.maps,
    ranking.router,
    ranking.every_chain,
    segments.router,
    firms.router,
    maps.router,
    maps.pages,
    projects.router,
    kpis.router,
    simulate.router,
    targets.router,
    imports.router,
    console.router,
]
