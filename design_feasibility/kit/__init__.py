"""The researcher's kit for CBS Remote Access (`python -m design_feasibility kit DIR --out KIT.zip`).

- `bundle`: analysis.py assembled from the package's own estimator (one source of truth)
- `script_main`: the script's settings, input, run and output step (ends analysis.py)
- `output_check`: tables written only when they pass the disclosure rules, checking report
- `config`: kit_config.json (arms, covariates, outcome, follow-up, CBS files)
- `build`: the zip; `command`: the command line
"""
