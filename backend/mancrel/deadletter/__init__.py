"""Dead letters: jobs that failed for good, kept so an admin can read, replay or discard them."""
