"""Generate tf1to2/data/api_*.json from the installed TensorFlow's own upgrade data.

Run ``python tools/gen_api_tables.py`` after installing a new TensorFlow, review ``git diff tf1to2/data``,
and commit. ``--check`` compares instead of writing (exit 1 on a difference). The converter reads only
the JSON; it never imports TensorFlow.

Sources (all under ``tensorflow.tools.compatibility``): ``all_renames_v2.symbol_renames`` (which includes
``renames_v2``), and ``tf_upgrade_v2.TFAPIChangeSpec``: ``function_keyword_renames``,
``function_reorders`` (``reorders_v2`` plus the manual ones), ``function_warnings``,
``function_arg_warnings``, ``function_transformers`` and ``module_deprecations``.

Deliberate departures from tf_upgrade_v2, each recorded in the tables with its reason:

- Renames to ``tf.keras.optimizers.legacy.*`` are dropped: the TF1 name is already the TF2 name, and
  the legacy optimizers raise ImportError under Keras 3 (TF >= 2.16).
- Renames to ``tf.compat.v1.layers.*`` are left to the ``tf.layers`` rule (TF419), which warns that
  they need tf-keras; ``tf.estimator`` renames are left to the estimator rule (TF422).
- Initializers whose TF2 form exists are not sent to ``tf.compat.v1``: ``api_initializers.json`` gives
  the TF2 form, the TF1 defaults that differ (from the installed signatures) and the arguments the TF2
  form lacks. ``EFFECTIVE_TF1_DEFAULTS`` and ``TF2_INITIALIZER_FORMS`` are the only hand-written parts.
- ``SEMANTIC_OVERRIDES``: renames whose TF2 target computes different numbers (NUMERICS.md).
- ``REMOVED_ARGUMENTS``: arguments TF2 no longer accepts, where tf_upgrade_v2 only warns and leaves
  them (a TypeError in TF2): the value TF2 always uses is removed, any other value keeps the call in
  ``tf.compat.v1``.
- A rename whose target is itself upgraded again (a TF1 name that was renamed, or has a call rewrite
  that changes meaning) would make the output unstable; such a rename goes to ``tf.compat.v1``.
- ``contrib_*`` aliases are dropped: names are resolved through imports, so ``contrib_rnn.X`` is
  looked up as ``tf.contrib.rnn.X``. ``slim.X`` keys become ``tf.contrib.slim.X`` for the same reason.
- Rename targets are checked against the installed TF (Keras 3): a target that resolves only with
  tf-keras (``TF_USE_LEGACY_KERAS=1``, checked in a child process) is kept but reported as needing it;
  a target that resolves nowhere is not applied, only reported.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

DATA = Path(__file__).resolve().parent.parent / "tf1to2" / "data"
FILES = ("api_symbols.json", "api_arguments.json", "api_initializers.json", "api_warnings.json")

LEGACY_OPTIMIZERS = "tf.keras.optimizers.legacy."
LAYERS_TARGET = "tf.compat.v1.layers."
ESTIMATOR = "tf.estimator"

# TF1 defaults that the installed signature does not show as a value (``maxval=None`` meant 1.0 for
# floating-point dtypes in ``init_ops.RandomUniform``). tests/test_api_tables.py samples both forms.
EFFECTIVE_TF1_DEFAULTS: dict[str, dict[str, str]] = {
    "tf.random_uniform_initializer": {"maxval": "1.0"},
    "tf.initializers.random_uniform": {"maxval": "1.0"},
}
# TF1 initializers with no TF2 symbol of the same name: the TF2 class computing the same distribution.
TF2_INITIALIZER_FORMS = {
    "tf.truncated_normal_initializer": "tf.keras.initializers.TruncatedNormal",
    "tf.glorot_uniform_initializer": "tf.keras.initializers.GlorotUniform",
    "tf.glorot_normal_initializer": "tf.keras.initializers.GlorotNormal",
    "tf.variance_scaling_initializer": "tf.keras.initializers.VarianceScaling",
    "tf.orthogonal_initializer": "tf.keras.initializers.Orthogonal",
}
# Every TF1 initializer constructor took a dtype (TF's initializers_no_dtype_comment).
TF1_INITIALIZER_ONLY_PARAMETERS = ("dtype",)

SEMANTIC_OVERRIDES = {
    "tf.image.resize_images": (
        "tf.compat.v1.image.resize_images",
        "TF2's tf.image.resize samples at half-pixel centers; TF1's resize_images did not (NUMERICS.md)",
    ),
}
# function: (argument, the value TF2 always uses, why). Entries of compat_unless_argument.
REMOVED_ARGUMENTS = {
    name: (
        "partition_strategy",
        "'div'",
        f"{name} no longer takes partition_strategy and always uses 'div'; with 'mod' (TF1's default) "
        "and sharded params the rows are looked up differently, so the call was converted to compat.v1.",
    )
    for name in ("tf.nn.embedding_lookup", "tf.nn.embedding_lookup_sparse", "tf.nn.safe_embedding_lookup_sparse")
}
# tf.image.resize in TF 1.15 is resize_images; only its arguments are upgraded by tf_upgrade_v2.
SEMANTIC_COMPAT_FUNCTIONS = {
    "tf.image.resize": "TF 1.15's tf.image.resize is resize_images, without half-pixel centers (NUMERICS.md)",
}

# Renamed TF1 names whose calls a rule rewrites as a whole; the rule also renames other uses.
KEPT_FOR_RULES = {
    "tf.disable_v2_behavior": "removed, or kept while graph-mode APIs remain (TF414)",
}
# tf_upgrade_v2 messages that are wrong for TF >= 2.16 (Keras 3).
MESSAGE_OVERRIDES = {
    "*.save": (
        "info",
        "if this saves a Keras model: under Keras 3 (TF >= 2.16) model.save() needs a path ending in "
        ".keras or .h5, and a SavedModel is written with model.export()",
    ),
}
# Special call rewrites of tf_upgrade_v2 (function_transformers), by transformer, and the tf1to2 rule
# that does the same (or better). The rest are reported by TF429 with the note given here.
TRANSFORMER_RULES = {
    "_dropout_transformer": "TF417",
    "_cast_transformer": "TF424",
    "_iterator_transformer": "TF425",
    "_softmax_cross_entropy_with_logits_transformer": "TF426",
    "_name_scope_transformer": "TF427",
    "_rename_if_arg_found_transformer": "TF428",
    "_add_argument_transformer": "TF428",
}
TRANSFORMER_NOTES = {
    "_image_resize_transformer": (
        "info",
        "kept as tf.compat.v1 (no half-pixel centers): tf_upgrade_v2's tf.image.resize(method=...) "
        "samples at half-pixel centers and changes the numbers (NUMERICS.md)",
    ),
    "_extract_glimpse_transformer": (
        "warning",
        "TF2's tf.image.extract_glimpse takes noise='uniform'|'gaussian' instead of uniform_noise=; "
        "tf.compat.v1.image.extract_glimpse keeps the TF1 arguments",
    ),
    "_pool_seed_transformer": (
        "warning",
        "the TF2 form takes no seed2 or deterministic argument: pass a non-zero seed for determinism",
    ),
    "_string_split_rtype_transformer": (
        "warning",
        "tf.strings.split returns a RaggedTensor in TF2 (result_type is gone); add .to_sparse() where a "
        "SparseTensor is needed",
    ),
    "_add_summary_step_transformer": (
        "warning",
        "TF2 summary ops need a step: pass step=tf.compat.v1.train.get_or_create_global_step() (or your step "
        "variable); tf_upgrade_v2 adds that argument",
    ),
    "_add_summary_recording_cond_transformer": (
        "warning",
        "the TF2 form is tf.summary.record_if(True) (always) or tf.summary.record_if(False) (never)",
    ),
    "_add_uniform_scaling_initializer_transformer": (
        "warning",
        "uniform_unit_scaling_initializer is not in TF2: kept as tf.compat.v1; the TF2 form is "
        "tf.keras.initializers.VarianceScaling(scale=factor, distribution='uniform', seed=seed)",
    ),
}
# Arguments tf_upgrade_v2 adds that are wrong under Keras 3.
EXCLUDED_ADDED_ARGUMENTS = {
    "tf.keras.models.save_model": (
        "warning",
        "under Keras 3 (TF >= 2.16) save_model() takes no save_format: the format follows the file "
        "extension (.keras or .h5)",
    ),
}
# ast predicates of _rename_if_arg_found_transformer, by what they accept.
PREDICATES = {"_is_ast_str": "string", "_is_ast_true": "True", "_is_ast_false": "False"}
LEVELS = {"INFO": "info", "WARNING": "warning", "ERROR": "error"}


def import_tensorflow() -> Any:
    if os.environ.get("TF_USE_LEGACY_KERAS", "").strip().lower() in ("1", "true", "yes"):
        raise SystemExit("run without TF_USE_LEGACY_KERAS: rename targets are checked against Keras 3")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf  # noqa: PLC0415  (the generator is the only place that imports TF)

    return tf


def resolve(tf: Any, name: str) -> Optional[Any]:
    """The object ``tf.a.b`` names in the installed TF, or None."""
    obj = tf
    for part in name.split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001 (lazy loaders raise all sorts of errors)
            return None
    return obj


def resolves(tf: Any, name: str) -> bool:
    obj = tf
    for part in name.split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001
            return False
    return True


_RESOLVE_SCRIPT = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
for name in sys.stdin.read().split():
    obj = tf
    try:
        for part in name.split(".")[1:]:
            obj = getattr(obj, part)
    except Exception:
        continue
    print(name)
"""


def resolving_with_tf_keras(names: Iterable[str]) -> set[str]:
    """The names that resolve with ``TF_USE_LEGACY_KERAS=1`` (a child process: Keras is chosen at import)."""
    names = sorted(names)
    if not names:
        return set()
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run(
        [sys.executable, "-c", _RESOLVE_SCRIPT], input="\n".join(names), env=env,
        capture_output=True, text=True, check=True,
    )
    return set(out.stdout.split())


def normalize(name: str) -> Optional[str]:
    """The key under which the converter looks a name up (imports already resolved), or None to drop it."""
    if name.startswith("contrib_"):
        return None  # an alias of tf.contrib.<module>, resolved through imports instead
    if name.startswith("slim."):
        return "tf.contrib." + name
    return name


def level(value: str) -> str:
    return LEVELS[value]


def header(tf: Any) -> dict[str, str]:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "generated_by": "tools/gen_api_tables.py (do not edit by hand)",
        "source": "tensorflow.tools.compatibility: all_renames_v2, tf_upgrade_v2.TFAPIChangeSpec",
        "tensorflow": tf.__version__,
        "keras": version("keras"),
        "tf_keras": version("tf-keras"),
    }


def parameters(obj: Any) -> list[inspect.Parameter]:
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return []
    return [p for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def source_of(value: Any) -> str:
    if hasattr(value, "name") and type(value).__name__ == "DType":
        return f"tf.{value.name}"
    return repr(value)


class Builder:
    """Collects the four tables from one TFAPIChangeSpec."""

    def __init__(self, tf: Any) -> None:
        from tensorflow.tools.compatibility import all_renames_v2, module_deprecations_v2, tf_upgrade_v2  # noqa: PLC0415

        self.tf = tf
        self.spec = tf_upgrade_v2.TFAPIChangeSpec()
        self.renames = {k: v for k, v in all_renames_v2.symbol_renames.items() if normalize(k) == k}
        self.module_deprecations = module_deprecations_v2.MODULE_DEPRECATIONS
        self.kept: dict[str, dict[str, str]] = {}

    def keep(self, source: str, reason: str, import_as: str) -> None:
        """Leave ``source`` to the rule named in ``reason``; a from-import of it imports ``import_as``."""
        self.kept[source] = {"reason": reason, "import_as": import_as}

    # ---- initializers ------------------------------------------------------------------------------

    def initializer_names(self) -> list[str]:
        """TF1 initializer classes that tf_upgrade_v2 sends to tf.compat.v1 (for their dtype argument)."""
        names = set()
        for source, target in self.renames.items():
            if target != "tf.compat.v1." + source[len("tf."):]:
                continue
            if inspect.isclass(resolve(self.tf, target)) and "initializer" in source.lower():
                names.add(source)
        return sorted(names)

    def initializer_entry(self, name: str) -> Optional[dict[str, Any]]:
        tf2_name = name if resolves(self.tf, name) else TF2_INITIALIZER_FORMS.get(name)
        tf1 = resolve(self.tf, self.renames[name])
        if tf2_name is None or tf1 is None:
            return None
        tf1_params = parameters(tf1)
        tf2_params = {p.name: p for p in parameters(resolve(self.tf, tf2_name))}
        tf1_names = [p.name for p in tf1_params]
        tf1_names += [extra for extra in TF1_INITIALIZER_ONLY_PARAMETERS if extra not in tf1_names]
        overrides = EFFECTIVE_TF1_DEFAULTS.get(name, {})
        explicit, tf2_defaults = {}, {}
        for param in tf1_params:
            tf2_param = tf2_params.get(param.name)
            if tf2_param is None or param.default is param.empty or tf2_param.default is param.empty:
                continue
            tf1_default = overrides.get(param.name, source_of(param.default))
            if eval(tf1_default, {"tf": self.tf}) != tf2_param.default:  # noqa: S307 (our own literals)
                explicit[param.name] = tf1_default
                tf2_defaults[param.name] = source_of(tf2_param.default)
        return {
            "tf2": tf2_name,
            "tf1_parameters": tf1_names,
            "tf2_parameters": list(tf2_params),
            "explicit": explicit,
            "tf2_defaults": tf2_defaults,
            "dropped": [n for n in tf1_names if n not in tf2_params],
        }

    def initializers(self) -> dict[str, Any]:
        table = {}
        for name in self.initializer_names():
            entry = self.initializer_entry(name)
            if entry is not None:
                table[name] = entry
                self.keep(name, f"initializer: TF2 form {entry['tf2']} with the TF1 defaults explicit (TF418)", entry["tf2"])
        return table

    # ---- symbols -----------------------------------------------------------------------------------

    def unstable_targets(self) -> set[str]:
        """TF2 names that are also TF1 names the converter would rewrite again."""
        return set(self.renames) | set(self.spec.function_transformers) | set(SEMANTIC_COMPAT_FUNCTIONS)

    def symbols(self, initializers: dict[str, Any]) -> dict[str, Any]:
        chosen: dict[str, str] = {}
        redirected: dict[str, str] = {}
        cast = {k for k, v in self.special_cases().items() if v["handled_by"] == TRANSFORMER_RULES["_cast_transformer"]}
        for source, target in sorted(self.renames.items()):
            if source == target or source in initializers:
                continue
            if source in KEPT_FOR_RULES:
                self.keep(source, KEPT_FOR_RULES[source], target)
            elif source in cast:
                self.keep(source, "calls become tf.cast(x, dtype) (TF424)", target)
            elif target.startswith(LEGACY_OPTIMIZERS):
                self.keep(source, f"{target} raises ImportError under Keras 3 (TF >= 2.16); {source} is TF2 already", source)
            elif target.startswith(LAYERS_TARGET):
                self.keep(source, "tf.layers: kept as tf.compat.v1.layers with a warning (TF419)", target)
            elif source.startswith(ESTIMATOR + "."):
                self.keep(source, "tf.estimator is absent from TF >= 2.16 (TF422)", source)
            elif source in SEMANTIC_OVERRIDES:
                chosen[source], redirected[source] = SEMANTIC_OVERRIDES[source]
            else:
                chosen[source], reason = self.stable_target(source, target)
                if reason:
                    redirected[source] = reason
        for source, reason in {**SEMANTIC_COMPAT_FUNCTIONS, **self.summary_functions()}.items():
            chosen[source], redirected[source] = "tf.compat.v1." + source[len("tf."):], reason
        missing = {t for t in chosen.values() if not resolves(self.tf, t)}
        with_tf_keras = resolving_with_tf_keras(missing)
        return {
            "renames": {s: t for s, t in chosen.items() if t not in missing},
            "renames_needing_tf_keras": {s: t for s, t in chosen.items() if t in with_tf_keras},
            "renames_unavailable": {s: t for s, t in chosen.items() if t in missing - with_tf_keras},
            "redirected": redirected,
            "kept": dict(self.kept),
            "removed_modules": self.removed_modules(chosen),
        }

    def summary_functions(self) -> dict[str, str]:
        """TF1 summary ops that kept their names in TF2 with another meaning.

        tf_upgrade_v2 says (its summary_api_comment) they "have been converted to tf.compat.v1.summary.*"
        but has no rename for them: TF2's versions write to a default writer at a step instead of
        returning a summary op for merge_all.
        """
        comment = self.spec.function_warnings["tf.summary.merge_all"]
        return {
            name: "TF2's tf.summary functions write to a default writer at a step; TF1's returned summary ops"
            for name, warning in self.spec.function_warnings.items()
            if warning is comment and name not in self.renames and resolves(self.tf, "tf.compat.v1." + name[3:])
        }

    def stable_target(self, source: str, target: str) -> tuple[str, str]:
        """The target, unless a second conversion would rewrite it again (then compat.v1 or the chain's end)."""
        unstable = self.unstable_targets()
        if target not in unstable or target.startswith("tf.compat."):
            return target, ""
        compat = "tf.compat.v1." + source[len("tf."):]
        if resolves(self.tf, compat):
            return compat, f"{target} is itself rewritten as a TF1 name; tf.compat.v1 keeps the meaning"
        seen = {source}
        while target in self.renames and target not in seen:
            seen.add(target)
            target = self.renames[target]
        return target, "followed the chain of renames to its end"

    def removed_modules(self, renames: dict[str, str]) -> list[str]:
        """TF1 modules (prefixes of renamed names) absent from TF2 but present in tf.compat.v1."""
        prefixes = {".".join(s.split(".")[:i]) for s in renames for i in range(2, s.count(".") + 1)}
        prefixes |= {"tf.layers", "tf.flags"}
        return sorted(
            p for p in prefixes
            if p not in renames and not resolves(self.tf, p) and resolves(self.tf, "tf.compat.v1." + p[3:])
        )

    # ---- arguments ---------------------------------------------------------------------------------

    def arguments(self, symbols: dict[str, Any]) -> dict[str, Any]:
        compat = {s for s, t in self.all_renames(symbols).items() if t == "tf.compat.v1." + s[3:]}
        keyword_renames = {
            normalize(k): dict(v) for k, v in self.spec.function_keyword_renames.items()
            if normalize(k) and normalize(k) not in compat
        }
        reorders = {
            normalize(k): list(v) for k, v in self.spec.function_reorders.items()
            if normalize(k) and normalize(k) not in compat
        }
        for order in reorders.values():
            first = next((i for i, name in enumerate(order) if name), len(order))
            assert all(order[first:]), f"a reorder keeps a positional argument after a keyword: {order}"
        return {
            "keyword_renames": keyword_renames,
            "reorders": reorders,
            "positional_after_rename": self.positional_after_rename(symbols, reorders),
            "compat_unless_argument": self.conditional_compat(),
            "added_arguments": self.added_arguments(),
        }

    @staticmethod
    def all_renames(symbols: dict[str, Any]) -> dict[str, str]:
        return {**symbols["renames"], **symbols["renames_needing_tf_keras"]}

    def positional_after_rename(self, symbols: dict[str, Any], reorders: dict[str, list]) -> dict[str, Any]:
        """For ``S -> T`` where T is also reordered as a TF1 name: T's TF2 parameter names, so the
        renamed call passes by keyword every argument that a second conversion would reorder."""
        table = {}
        for source, target in sorted(self.all_renames(symbols).items()):
            if target not in reorders or target.startswith("tf.compat."):
                continue
            order = reorders[target]
            keep = next((i for i, name in enumerate(order) if name), len(order))
            names = [p.name for p in parameters(resolve(self.tf, target))]
            table[source] = {"keep": keep, "names": names}
        return table

    def conditional_compat(self) -> dict[str, Any]:
        table = {}
        for name, transformer in sorted(self.spec.function_transformers.items()):
            if getattr(getattr(transformer, "func", None), "__name__", "") != "_rename_if_arg_found_transformer":
                continue
            if normalize(name) != name:
                continue
            kw = transformer.keywords
            tf1 = resolve(self.tf, "tf.compat.v1." + name[3:])
            names = [p.name for p in parameters(tf1)] if tf1 is not None else []
            table[name] = {
                "argument": kw["arg_name"],
                "position": names.index(kw["arg_name"]) if kw["arg_name"] in names else None,
                "accepted": PREDICATES[kw["arg_ok_predicate"].__name__],
                "remove_if_accepted": bool(kw["remove_if_ok"]),
                "message": kw["message"],
            }
        for name, (argument, value, message) in REMOVED_ARGUMENTS.items():
            names = [p.name for p in parameters(resolve(self.tf, "tf.compat.v1." + name[3:]))]
            table[name] = {"argument": argument, "position": names.index(argument), "accepted": value,
                           "remove_if_accepted": True, "message": message}
        return table

    def added_arguments(self) -> dict[str, Any]:
        import ast  # noqa: PLC0415

        table = {}
        for name, transformer in sorted(self.spec.function_transformers.items()):
            if getattr(getattr(transformer, "func", None), "__name__", "") != "_add_argument_transformer":
                continue
            if normalize(name) != name or name in EXCLUDED_ADDED_ARGUMENTS:
                continue
            kw = transformer.keywords
            table[name] = {kw["arg_name"]: ast.unparse(kw["arg_value_ast"])}
        return table

    # ---- warnings ----------------------------------------------------------------------------------

    def warnings(self, initializers: dict[str, Any]) -> dict[str, Any]:
        function_warnings = {}
        for name, (lvl, message) in sorted(self.spec.function_warnings.items()):
            key = normalize(name)
            if key is None or name in initializers:
                continue
            lvl, message = MESSAGE_OVERRIDES.get(key, (level(lvl), message.replace("<function name>", key)))
            function_warnings[key] = {"severity": lvl, "message": " ".join(message.split())}
        argument_warnings: dict[str, list] = {}
        for name, entries in sorted(self.spec.function_arg_warnings.items()):
            key = normalize(name)
            if key is None:
                continue
            argument_warnings[key] = [
                {"argument": arg, "position": pos, "severity": level(lvl),
                 "message": " ".join(message.replace("<function name>", key).split())}
                for (arg, pos), (lvl, message) in sorted(entries.items())
            ]
        modules = {
            name: {"severity": level(lvl), "message": " ".join(message.split())}
            for name, (lvl, message) in sorted(self.module_deprecations.items())
        }
        return {
            "function_warnings": function_warnings,
            "argument_warnings": argument_warnings,
            "module_deprecations": modules,
            "special_cases": self.special_cases(),
        }

    def special_cases(self) -> dict[str, Any]:
        table = {}
        for name, transformer in sorted(self.spec.function_transformers.items()):
            key = normalize(name)
            if key is None:
                continue
            kind = getattr(transformer, "__name__", None) or transformer.func.__name__
            if key.startswith("tf.contrib.") and kind not in TRANSFORMER_NOTES:
                table[key] = {"handled_by": "TF420"}
            elif key in EXCLUDED_ADDED_ARGUMENTS:
                lvl, note = EXCLUDED_ADDED_ARGUMENTS[key]
                table[key] = {"handled_by": "TF429", "severity": lvl, "message": note}
            elif kind in TRANSFORMER_RULES:
                table[key] = {"handled_by": TRANSFORMER_RULES[kind]}
            else:
                lvl, note = TRANSFORMER_NOTES[kind]
                table[key] = {"handled_by": "TF429", "severity": lvl, "message": note}
        return table


def build_tables() -> dict[str, dict[str, Any]]:
    """Every table, keyed by file name, computed from the installed TensorFlow."""
    tf = import_tensorflow()
    builder = Builder(tf)
    initializers = builder.initializers()
    symbols = builder.symbols(initializers)
    head = header(tf)
    return {
        "api_symbols.json": {"header": head, **symbols},
        "api_arguments.json": {"header": head, **builder.arguments(symbols)},
        "api_initializers.json": {"header": head, "initializers": initializers},
        "api_warnings.json": {"header": head, **builder.warnings(initializers)},
    }


def render(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for name, table in build_tables().items():
        path = DATA / name
        text = render(table)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    verb = "differ from the installed TensorFlow" if args.check else "written"
    for name in stale:
        print(f"{DATA / name}: {verb}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
