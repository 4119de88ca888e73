"""System status for admins: queues, workers, outbox, dead letters, beat schedules."""
