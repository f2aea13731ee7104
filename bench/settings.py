"""Production settings, served on loopback for the load benchmark (bench/load.py sets the environment).

Two differences, both for the benchmark's sake: the URLconf adds the floor view, and allauth's
per-address login limit is lifted, since every benchmark session signs in from 127.0.0.1.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ACCOUNT_RATE_LIMITS = {"login": None}  # allauth's other limits keep their defaults
