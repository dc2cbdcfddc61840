"""Zones of the Dover Strait built from the bundled data, and vectorised classification.

Everything here is a pure function of the files in ``manche/data/geo`` (see PROVENANCE.md
there). The main entry points:

- :func:`manche.geo.layers.build_layers` builds every layer (land, territorial seas, the
  1988 treaty line, the median line and the waters beyond 12 nm, the Dover TSS, the CALDOVREP
  reporting lines, places);
- :func:`manche.geo.classify.classify` labels arrays of points (sovereignty, shipping zone,
  distances to the median line and to each coast);
- :func:`manche.geo.export.layers_geojson` exports every layer as GeoJSON.
"""
