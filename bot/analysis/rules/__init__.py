"""The rule modules, each named after what it holds; importing this package registers them.

Only ``bot.analysis.catalogue`` imports this package. A new rule goes into the module
whose name a reader would guess from the rule id (see CONTRIBUTING.md).
"""

from bot.analysis.rules import (  # noqa: F401 - imported for their @register side effects
    archives,
    assertions,
    authorization,
    collection,
    comparisons,
    control_flow,
    credentials,
    crypto,
    debug_mode,
    deserialization,
    division,
    exceptions,
    file_modes,
    global_state,
    injection,
    mocks,
    network,
    nosec,
    parsing,
    patchers,
    redefinitions,
    tempfiles,
    templates,
    threads,
    tls,
    waits,
    xml_entities,
)
