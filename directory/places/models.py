"""SQLAlchemy models of the gazetteer: Dutch four-digit postcodes and place names with their
coordinates (WGS84), from GeoNames.

The base domain of :mod:`directory`: it imports no other domain. Its rows point at the
source release they came from (``source_release``, by table name); the ``geonames``
source writes them in a run of :class:`directory.conditions.runs.CatalogueRuns`, like
every other source.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from directory.db import Base


class GazetteerPostcode(Base):
    """A Dutch four-digit postcode (PC4) and its estimated centre (WGS84)."""

    __tablename__ = "gazetteer_postcode"

    postcode: Mapped[str] = mapped_column(String(4), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    place: Mapped[str] = mapped_column(String(200))
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))


class GazetteerPlace(Base):
    """A place name (town, village, municipality) and its centre (WGS84).

    ``key`` is the name lower-cased without accents or punctuation; one key can
    name places in several provinces (``postcodes`` says which one is larger).
    """

    __tablename__ = "gazetteer_place"
    __table_args__ = (UniqueConstraint("key", "province"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    postcodes: Mapped[int] = mapped_column(Integer)
    release_id: Mapped[int] = mapped_column(ForeignKey("source_release.id"))
