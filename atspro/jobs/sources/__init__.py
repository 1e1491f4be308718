"""Where a posting's data comes from, best source first: structured data, board APIs, page text."""
