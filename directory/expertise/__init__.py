"""Expertise: institutions and their sites, networks, ERNs, EURACAN domains, body areas,
panels, working groups and the designations that tie them to conditions."""
