"""What the statements of a scope create: placeholders, optimizers, train ops, gradients, savers,
writers, summaries, decays (the ``ScopeBuilder``'s part that reads them)."""
from __future__ import annotations

from typing import Optional

import gast

from tf1to2.analysis.graph.apis import (
    TRAIN_METHODS, api_of, bind_nodes, bind_texts, is_optimizer_api, loaded_names,
)
from tf1to2.analysis.graph.ir import (
    CallRecord, GradientCall, Kind, Merge, OptimizerCall, Placeholder, SummaryOp, TrainOp,
)


class RecordReader:
    """Reads the records of a statement; mixed into ``ScopeBuilder``."""

    def _placeholder(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, "a placeholder not assigned to a plain name")
            return Kind.PLACEHOLDER, "placeholder"
        params = ("dtype", "shape", "name") if api == "tf.placeholder" else ("input", "shape", "name")
        bound = bind_texts(self.module, call, params)
        default = bound.get("input") if api == "tf.placeholder_with_default" else None
        dtype = bound.get("dtype")
        shape = bound.get("shape")
        if shape is not None and shape.strip() == "None":
            shape = None
        self.placeholders.append(Placeholder(
            name=targets[0].id, statement=index, line=node.lineno,
            dtype=dtype or "", shape=shape, default=default,
        ))
        return Kind.PLACEHOLDER, "placeholder"

    def _record(self, records: list, node: gast.stmt, call: gast.Call, api: str, index: int) -> bool:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, f"{api}(...) not assigned to a plain name")
            return False
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        args = tuple((None, self.module.snippet(a)) for a in call.args)
        args += tuple((k.arg, self.module.snippet(k.value)) for k in call.keywords)
        records.append(CallRecord(targets[0].id, index, api, args, start, end, line, col))
        return True

    def _summary(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        name = targets[0].id if len(targets) == 1 and isinstance(targets[0], gast.Name) else None
        nodes = bind_nodes(call, ("name", "tensor"))
        problem = ""
        if (targets and name is None) or "name" not in nodes or "tensor" not in nodes:
            problem = f"{api} is not written as name = {api}(tag, tensor)"
        extra = [k for k in nodes if k not in ("name", "tensor")]
        if extra:
            problem = f"{api}({extra[0]}=...) is not converted"
        line, col = self.module.position(call)
        value = nodes.get("tensor")
        self.summaries.append(SummaryOp(
            statement=index, name=name, kind=api.rsplit(".", 1)[-1],
            tag=self.module.snippet(nodes["name"]) if "name" in nodes else "",
            value=self.module.snippet(value) if value is not None else "",
            value_names=tuple(dict.fromkeys(n.id for n in loaded_names(value))) if value is not None else (),
            line=line, col=col, problem=problem,
        ))
        return Kind.SUMMARY, api

    def _merge(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        line, col = self.module.position(call)
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, f"{api}() not assigned to a plain name")
            return Kind.MERGE, api
        problem = ""
        if api == "tf.summary.merge_all":
            ops = tuple(range(len(self.summaries)))
            if call.args or call.keywords:
                problem = "tf.summary.merge_all(key or scope) is not converted"
        else:
            inputs = call.args[0] if call.args else None
            ops = ()
            if isinstance(inputs, (gast.List, gast.Tuple)) and all(isinstance(e, gast.Name) for e in inputs.elts):
                ops = tuple(i for i, op in enumerate(self.summaries) if op.name in {e.id for e in inputs.elts})
            if len(ops) != len(getattr(inputs, "elts", ())) or not ops:
                problem = "tf.summary.merge of something other than a list of summary ops is not converted"
        self.merges.append(Merge(index, targets[0].id, ops, line, col, problem))
        return Kind.MERGE, api

    def _optimizer(self, node: gast.stmt, call: gast.Call, api: str, index: int) -> None:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, "an optimizer not assigned to a plain name")
            return
        self.optimizers.append((targets[0].id, self._optimizer_call(call, api), index))

    def _optimizer_call(self, call: gast.Call, api: str) -> OptimizerCall:
        start, end = self.module.span(call)
        line, col = self.module.position(call)
        args = tuple((None, self.module.snippet(a)) for a in call.args)
        args += tuple((k.arg, self.module.snippet(k.value)) for k in call.keywords)
        return OptimizerCall(api, args, start, end, line, col)

    def _gradient_calls(self, node: gast.stmt, index: int) -> bool:
        found = False
        for call in self.a.calls_in(node):
            func = call.func
            api = api_of(self.module, func)
            if api == "tf.gradients":
                params = ("ys", "xs", "grad_ys", "name", "colocate_gradients_with_ops", "gate_gradients",
                          "aggregation_method", "stop_gradients", "unconnected_gradients")
                ys_key, xs_key = "ys", "xs"
            elif (isinstance(func, gast.Attribute) and func.attr == "compute_gradients"
                  and self._is_optimizer(func.value)):
                params = ("loss", "var_list", "gate_gradients", "aggregation_method", "colocate_gradients_with_ops",
                          "grad_loss")
                ys_key, xs_key = "loss", "var_list"
            else:
                continue
            nodes = bind_nodes(call, params)
            ignored = ("name", "colocate_gradients_with_ops", "gate_gradients")
            extra = [k for k in nodes if k not in (ys_key, xs_key) + ignored]
            problem = f"{api or func.attr}({extra[0]}=...) is not converted" if extra else ""
            if ys_key not in nodes:
                problem = problem or "gradients of what is not given"
            start, end = self.module.span(call)
            line, col = self.module.position(call)
            names = lambda key: _names_of(nodes, key)  # noqa: E731
            self.gradients.append(GradientCall(
                statement=index, start=start, end=end, line=line, col=col,
                api="tf.gradients" if api == "tf.gradients" else "compute_gradients",
                ys=self.module.snippet(nodes[ys_key]) if ys_key in nodes else "", ys_names=names(ys_key),
                xs=self.module.snippet(nodes[xs_key]) if xs_key in nodes else None, xs_names=names(xs_key),
                problem=problem,
            ))
            found = True
        return found

    def _is_optimizer(self, node: gast.AST) -> bool:
        if isinstance(node, gast.Name):
            return self._reaching(node.id) is Kind.OPTIMIZER
        return isinstance(node, gast.Call) and is_optimizer_api(api_of(self.module, node.func))

    def _train_call(self, value: Optional[gast.AST]) -> Optional[gast.Call]:
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)):
            return None
        if value.func.attr not in TRAIN_METHODS:
            return None
        receiver = value.func.value
        if isinstance(receiver, gast.Name) and self._reaching(receiver.id) is Kind.OPTIMIZER:
            return value
        if isinstance(receiver, gast.Call) and is_optimizer_api(api_of(self.module, receiver.func)):
            return value
        return None

    def _train(self, node: gast.stmt, call: gast.Call, index: int) -> tuple[Kind, str]:
        targets = node.targets if isinstance(node, gast.Assign) else []
        if len(targets) != 1 or not isinstance(targets[0], gast.Name):
            self._problem(node, "a train op not assigned to a plain name")
            return Kind.TRAIN, "train op"
        receiver = call.func.value
        method = call.func.attr
        optimizer_name = receiver.id if isinstance(receiver, gast.Name) else None
        optimizer = None
        if isinstance(receiver, gast.Call):
            optimizer = self._optimizer_call(receiver, api_of(self.module, receiver.func))
        if method == "minimize":
            params = ("loss", "global_step", "var_list", "gate_gradients", "aggregation_method",
                      "colocate_gradients_with_ops", "name", "grad_loss")
        else:
            params = ("grads_and_vars", "global_step", "name")
        nodes = bind_nodes(call, params)
        bound = bind_texts(self.module, call, params)
        names_of = lambda key: _names_of(nodes, key)  # noqa: E731
        for unsupported in ("grad_loss", "aggregation_method"):
            if bound.get(unsupported) is not None:
                self._problem(call, f"{method}({unsupported}=...) is not converted")
        self.train_ops.append(TrainOp(
            name=targets[0].id, statement=index, line=node.lineno, method=method,
            optimizer_name=optimizer_name, optimizer=optimizer, loss=bound.get("loss"),
            var_list=bound.get("var_list"), global_step=bound.get("global_step"),
            grads_and_vars=bound.get("grads_and_vars"),
            loss_names=names_of("loss") + names_of("grads_and_vars"), var_list_names=names_of("var_list"),
        ))
        return Kind.TRAIN, "train op"


def _names_of(nodes: dict, key: str) -> tuple[str, ...]:
    """The names an argument reads (none when it is not given)."""
    return tuple(dict.fromkeys(n.id for n in loaded_names(nodes[key]))) if key in nodes else ()
