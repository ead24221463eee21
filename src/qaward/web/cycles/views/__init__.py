"""The pages of cycles and applications: ``office`` (the office console), ``portal`` (the
applicant portal); ``pages`` holds what they share."""
