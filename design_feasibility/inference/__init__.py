"""Judge-design inference that holds with few caseworkers (issue 15).

Pure functions, numpy/pandas in, small dataclasses out; nothing here knows the analysis
frame, so the design diagnostics can call them with their own matrices:

- `joint_balance`  covariates vs preference, Hotelling-corrected clustered F (+ wild bootstrap)
- `iv_inference`   2SLS with CR1 and CR3 (cluster jackknife) intervals, a primary interval,
                   Anderson-Rubin confidence sets per arm
- `effective_f`    Montiel Olea-Pflueger effective F with its critical value
- `jive`           JIVE1 / UJIVE with caseworker dummies as instruments
- `exclusion_monotonicity_test`  Frandsen-Lefgren-Leslie-type test on caseworker means

Sources and Monte Carlo size/coverage: docs/inference.md; texts: inference/texts.yaml.
"""
from design_feasibility.inference.balance import BalanceRow, JointBalance, joint_balance
from design_feasibility.inference.flj import (CaseworkerPoint, ExclusionMonotonicity,
                                              exclusion_monotonicity_test)
from design_feasibility.inference.iv import (FEW_CLUSTERS, ARSet, ArmInference, IVInference,
                                             PrimaryCoefficients, anderson_rubin, iv_inference,
                                             primary_coefficients, tsls_cr1_cr3)
from design_feasibility.inference.jive import Jive, JiveArm, jive
from design_feasibility.inference.strength import EffectiveF, effective_f, mop_critical_value

__all__ = [
                                              "FEW_CLUSTERS",
                                              "ARSet",
                                              "ArmInference",
                                              "BalanceRow",
                                              "CaseworkerPoint",
                                              "EffectiveF",
                                              "ExclusionMonotonicity",
                                              "IVInference",
                                              "Jive",
                                              "JiveArm",
                                              "JointBalance",
                                              "PrimaryCoefficients",
                                              "anderson_rubin",
                                              "effective_f",
                                              "exclusion_monotonicity_test",
                                              "iv_inference",
                                              "jive",
                                              "joint_balance",
                                              "mop_critical_value",
                                              "primary_coefficients",
                                              "tsls_cr1_cr3",
]
