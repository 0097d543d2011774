# Placements, wage value, provisions and aftercare: see issue 7.
