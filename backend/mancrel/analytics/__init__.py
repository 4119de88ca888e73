"""Analytics (issue #21, point 8): daily rollups kept by beat jobs, read by `/api/v1/analytics`."""
