"""Video consultations (issue 4): appointments, the waiting room and signalling relay."""
