"""The golden cases whose converted layers are checked against their TF1 originals."""
from __future__ import annotations

# Golden cases whose converted layers are checked against the original, with input hints.
CASES = {
    "seed004_dense_scope": {},
    "seed004_reuse_variables": {},
    "seed004_shared_weights": {},
    "layers_linear_reuse": {},
    "layers_dcgan_discriminator": {"selections": ("t_vars", "d_vars", "g_vars")},
    "layers_gpt2": {"int_high": 16},  # token ids below n_vocab
    "layers_siamese": {},
    "layers_mlp_dicts": {},
    "layers_variable_properties": {},
    "layers_class_variables": {},
    "layers_loops": {},
    "layers_scope_parameter": {},
    # The policy's "model" scope is built inside MlpPolicy.__init__, once per policy: the converter's
    # example fetches both policies' outputs, feeding each one's own observation placeholder.
    "layers_actor_critic": {},
}

# (case, unit index) of every unit compared with TF1.
UNITS = [
    ("seed004_dense_scope", 0),
    ("seed004_reuse_variables", 0),
    ("seed004_shared_weights", 0),
    ("seed004_shared_weights", 1),
    ("layers_linear_reuse", 0),
    ("layers_dcgan_discriminator", 0),
    ("layers_gpt2", 0),
    ("layers_actor_critic", 0),
    ("layers_siamese", 0),
    ("layers_mlp_dicts", 0),
    ("layers_variable_properties", 0),
    ("layers_class_variables", 0),
    ("layers_class_variables", 1),
    ("layers_loops", 0),
    ("layers_loops", 1),
    ("layers_loops", 2),
    ("layers_loops", 3),
    ("layers_scope_parameter", 0),
]
