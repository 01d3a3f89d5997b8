"""DailyScheduler with a fake clock, a fake Discord and real storage."""
