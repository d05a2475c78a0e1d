"""E-mail notifications to patients: "you have a new message", with a link and nothing else."""
