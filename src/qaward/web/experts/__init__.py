"""The expert pool (专家库): profiles, relations that raise conflicts of interest, availability and
pledges per cycle, sanctions, and the conflicts found or declared for each application."""
