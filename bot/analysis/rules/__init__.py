"""Rule modules, one per RULES.md family; importing this package registers them."""

from bot.analysis.rules import (  # noqa: F401 - imported for their @register side effects
    access_control,
    calculation,
    coding_standards,
    control_flow,
    exceptions,
    neutralisation,
    protection,
    state_leaks,
    test_integrity,
)
