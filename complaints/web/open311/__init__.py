"""Open311 GeoReport v2: other systems file complaints here and follow them."""
