"""The review of one claimed job: orchestration, skip/carry decisions, rendering.

``pipeline`` runs a job from the change's detail to the posted review,
``decisions`` says when a job is skipped or carries its predecessor's verdict,
``report`` renders the Markdown Gerrit receives from the ``templates`` beside it.
"""
