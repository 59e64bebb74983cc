"""The bundled corpus (data/notices), installed as package data ``anquan_data``."""
