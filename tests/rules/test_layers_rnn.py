"""TF476/TF477: module-level dynamic_rnn / bidirectional_dynamic_rnn over TF1 cells → Keras recurrent layers."""
from __future__ import annotations

import pytest

from tf1to2.analysis.module import ModuleContext
from tf1to2.manifest import Unit
from tf1to2.rewrite import edits as edit_ops
from tf1to2.rules import layers_rnn

TF_IMPORT = "import tensorflow as tf\n"
LSTM = ('tf.keras.layers.LSTM(units=8, unit_forget_bias=True, recurrent_activation="sigmoid", '
        'return_sequences=True, return_state=True, name="{name}")')
LSTM_INIT = ('tf.keras.layers.LSTM(units=8, kernel_initializer={init}, recurrent_initializer={init}, '
             'unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, '
             'name="{name}")')
HELPER = "import tensorflow as tf\n\n\nclass TF1GlorotUniform(tf.keras.initializers.Initializer):"


def body_of(converted: str) -> str:
    """The converted text after the initializer class (defined once, after the imports)."""
    marker = 'register_keras_serializable("tf1to2")(TF1GlorotUniform)\n\n\n'
    return converted.split(marker, 1)[1] if marker in converted else converted


def run(body: str) -> tuple[str, list]:
    text = TF_IMPORT + body
    findings = list(layers_rnn.check(ModuleContext.parse(text)))
    accepted, rejected = edit_ops.select_compatible(f.edits for f in findings)
    assert not rejected, "the rule's own edits overlap"
    converted = edit_ops.apply(text, accepted)
    return body_of(converted) if HELPER in converted else converted[len(TF_IMPORT):], findings


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "cell = tf.nn.rnn_cell.LSTMCell(8)\noutputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n",
            "cell_initializer = TF1GlorotUniform(units=8, columns=[4 * 8])\n"
            f"cell = {LSTM_INIT.format(name='rnn', init='cell_initializer')}\noutputs, state_h, state_c = cell(x)\n"
            "state = (state_c, state_h)\n",
            id="named LSTM cell becomes the layer, the state rebuilt as (c, h)",
        ),
        pytest.param(
            "o, s = tf.nn.dynamic_rnn(tf.contrib.rnn.GRUCell(4), x, dtype=tf.float32, scope='enc')\n",
            "enc_initializer = TF1GlorotUniform(units=4, columns=[2 * 4, 4])\n"
            'enc = tf.keras.layers.GRU(units=4, kernel_initializer=enc_initializer, recurrent_initializer='
            'enc_initializer, bias_initializer=tf.keras.initializers.Constant([1.0] * (2 * 4) + '
            '[0.0] * 4), recurrent_activation="sigmoid", reset_after=False, return_sequences=True, '
            'return_state=True, name="enc")\no, s = enc(x)\n',
            id="inline contrib GRU cell under a scope",
        ),
        pytest.param(
            "o, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8), x, dtype=tf.float32)\n",
            "rnn_initializer = TF1GlorotUniform(units=8, columns=[4 * 8])\n"
            f"rnn = {LSTM_INIT.format(name='rnn', init='rnn_initializer')}\no, _, _ = rnn(x)\n",
            id="an ignored LSTM state",
        ),
        pytest.param(
            "f = tf.nn.rnn_cell.LSTMCell(8)\nb = tf.nn.rnn_cell.LSTMCell(8)\n"
            "outs, states = tf.nn.bidirectional_dynamic_rnn(f, b, x, dtype=tf.float32)\n",
            f"bidirectional_rnn = tf.keras.layers.Bidirectional({LSTM.format(name='fw')}, "
            f"backward_layer={LSTM.format(name='bw')[:-1]}, go_backwards=True), merge_mode=None, "
            'name="bidirectional_rnn")\n'
            "outs_fw, outs_bw, states_fw_h, states_fw_c, states_bw_h, states_bw_c = bidirectional_rnn(x)\n"
            "outs = (outs_fw, outs_bw)\nstates = ((states_fw_c, states_fw_h), (states_bw_c, states_bw_h))\n",
            id="bidirectional with one name per result, the cells' statements removed",
        ),
    ],
)
def test_dynamic_rnn_converts(body: str, expected: str) -> None:
    converted, findings = run(body)
    assert converted == expected
    assert [f.code for f in findings] == ["TF476"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4 + i) for i in range(2)]), "
                     "x, dtype=tf.float32)\n", "not a list of cell constructions", id="a comprehension using its variable"),
        pytest.param("c = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(4), state_keep_prob=0.5)\n"
                     "o, s = tf.nn.dynamic_rnn(c, x, dtype=tf.float32)\n", "state_keep_prob", id="a dropped state"),
        pytest.param("c = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(4), 0.5, variational_recurrent=flag, "
                     "dtype=tf.float32)\no, s = tf.nn.dynamic_rnn(c, x, dtype=tf.float32)\n", "variational_recurrent",
                     id="variational dropout chosen at run time"),
        pytest.param("o, fw, bw = tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(4), "
                     "xs, dtype=tf.float32)\n", "concatenated", id="static_bidirectional_rnn"),
        pytest.param("o, s = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), x, "
                     "initial_state_fw=s0, dtype=tf.float32)\n", "one direction's initial state",
                     id="an initial state for one direction only"),
        pytest.param("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), x, time_major=flag, dtype=tf.float32)\n",
                     "time_major", id="time-major or not at run time"),
        pytest.param("c = tf.nn.rnn_cell.LSTMCell(4)\ninit = c.zero_state(2, tf.float32)\n"
                     "o, s = tf.nn.dynamic_rnn(c, x, dtype=tf.float32)\n", "used elsewhere", id="a cell used twice"),
        pytest.param("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), x, dtype=tf.float32)\nh = s.h\n",
                     ".c / .h", id="LSTM state read as .h"),
        pytest.param("result = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), x, dtype=tf.float32)\n",
                     "unpacked", id="result not unpacked"),
        pytest.param("def f(x):\n    return tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), x, dtype=tf.float32)\n",
                     "module-level", id="inside a function"),
        pytest.param("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True), x, dtype=tf.float32)\n",
                     "peephole", id="an LSTM with peepholes"),
    ],
)
def test_what_is_not_converted_is_reported_and_kept(body: str, reason: str) -> None:
    converted, findings = run(body)
    assert converted == body
    assert [f.code for f in findings] == ["TF477"]
    assert reason in findings[0].message


def test_a_bidirectional_multi_rnn_cell_becomes_a_chain_per_direction_the_backward_one_reversed() -> None:
    converted, findings = run(
        "(f, b), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4) "
        "for _ in range(2)]), tf.nn.rnn_cell.GRUCell(3), x, sequence_length=n, dtype=tf.float32)\n")
    assert converted.endswith(
        "bidirectional_rnn_mask = tf.sequence_mask(n, maxlen=tf.shape(x)[1])\n"
        "f_0, sf_0 = bidirectional_rnn_fw_cell_0(x, mask=bidirectional_rnn_mask)\n"
        "f, sf_1 = bidirectional_rnn_fw_cell_1(f_0, mask=bidirectional_rnn_mask)\n"
        "f = f * tf.cast(bidirectional_rnn_mask, f.dtype)[:, :, tf.newaxis]\nsf = (sf_0, sf_1)\n"
        "b, sb_0 = bidirectional_rnn_bw_cell_0(tf.reverse_sequence(x, n, seq_axis=1, batch_axis=0), "
        "mask=bidirectional_rnn_mask)\n"
        "b = b * tf.cast(bidirectional_rnn_mask, b.dtype)[:, :, tf.newaxis]\n"
        "b = tf.reverse_sequence(b, n, seq_axis=1, batch_axis=0)\nsb = sb_0\n")
    assert [w.tf1_name for f in findings for u in f.units for w in u.weights][::3] == [
        "bidirectional_rnn/fw/multi_rnn_cell/cell_0/gru_cell/gates/kernel",
        "bidirectional_rnn/fw/multi_rnn_cell/cell_1/gru_cell/gates/kernel", "bidirectional_rnn/bw/gru_cell/gates/kernel"]


def test_dropout_in_a_bidirectional_rnn_gives_each_direction_its_own_masks() -> None:
    converted, _ = run("o, s = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), "
                       "0.5), tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)\n")
    assert "o_fw, s_fw_0 = bidirectional_rnn_fw_cell_0(tf.nn.dropout(x, rate=0.5))\n" in converted
    assert "o_bw, s_bw_0 = bidirectional_rnn_bw_cell_0(tf.reverse(x, axis=[1]))\n" in converted


def test_a_multi_rnn_cell_of_one_cell_keeps_its_state_a_tuple() -> None:
    converted, _ = run("out, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(2)]), "
                       "x, dtype=tf.float32)\n")
    assert converted.endswith("out, state_0 = rnn_cell_0(x)\nstate = (state_0,)\n")


def test_multi_rnn_cell_becomes_one_layer_per_cell_called_in_turn() -> None:
    converted, findings = run("cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4) for _ in range(2)])\n"
                              "out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n")
    gru = ('tf.keras.layers.GRU(units=4, kernel_initializer={0}, recurrent_initializer={0}, '
           'bias_initializer=tf.keras.initializers.Constant([1.0] * (2 * 4) + [0.0] * 4), '
           'recurrent_activation="sigmoid", reset_after=False, return_sequences=True, return_state=True, name="{1}")')
    assert converted == ("rnn_cell_0_initializer = TF1GlorotUniform(units=4, columns=[2 * 4, 4])\n"
                         "rnn_cell_1_initializer = TF1GlorotUniform(units=4, columns=[2 * 4, 4], input_depth=4)\n"
                         f"rnn_cell_0 = {gru.format('rnn_cell_0_initializer', 'cell_0')}\n"
                         f"rnn_cell_1 = {gru.format('rnn_cell_1_initializer', 'cell_1')}\n"
                         "out_0, state_0 = rnn_cell_0(x)\nout, state_1 = rnn_cell_1(out_0)\nstate = (state_0, state_1)\n")
    assert [[w.tf1_name for w in u.weights] for f in findings for u in f.units] == [
        ["rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel"] * 2 + ["rnn/multi_rnn_cell/cell_0/gru_cell/gates/bias"],
        ["rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel"] * 2 + ["rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias"],
    ]


def test_fresh_kernels_are_drawn_as_tf1_draws_them() -> None:
    text = TF_IMPORT + "x = tf.placeholder(tf.float32, [None, 5, 3])\n" \
        "o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)\n" \
        "o2, s2 = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8), o, dtype=tf.float32, scope='top')\n"
    findings = list(layers_rnn.check(ModuleContext.parse(text)))
    converted = edit_ops.apply(text, [e for f in findings for e in f.edits])
    assert converted.startswith(HELPER) and converted.count("class TF1GlorotUniform") == 1
    assert "rnn_initializer = TF1GlorotUniform(units=4, columns=[2 * 4, 4], input_depth=3)\n" in converted
    assert "top_initializer = TF1GlorotUniform(units=8, columns=[4 * 8])\n" in converted
    assert not any("glorot" in f.message for f in findings)


@pytest.mark.parametrize(
    ("setup", "depth"),
    [
        pytest.param("depth = 6\nx = tf.placeholder(tf.float32, [None, 5, depth])\n", ", input_depth=depth",
                     id="a module constant bound before"),
        pytest.param("cell = tf.nn.rnn_cell.BasicRNNCell(4)\ndepth = 6\nx = tf.placeholder(tf.float32, [None, 5, depth])\n",
                     "", id="a name bound after the layer is created: learned"),
        pytest.param("x = tf.placeholder(tf.float32, [None, 5, size()])\n", "", id="a call: learned"),
    ],
)
def test_the_input_depth_is_the_placeholders_last_dimension_when_defined_in_time(setup: str, depth: str) -> None:
    cell = "cell" if setup.startswith("cell") else "tf.nn.rnn_cell.BasicRNNCell(4)"
    converted, _ = run(setup + f"o, s = tf.nn.dynamic_rnn({cell}, x, dtype=tf.float32)\n")
    layer = "cell" if setup.startswith("cell") else "rnn"
    assert f"{layer}_initializer = TF1GlorotUniform(units=4, columns=[4]{depth})\n" in converted


def test_the_initializer_class_follows_a_late_tensorflow_import() -> None:
    text = "import sys\nsys.path.insert(0, '.')\nimport tensorflow as tf\n\nx = load()\n" \
        "o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)\n"
    findings = list(layers_rnn.check(ModuleContext.parse(text)))
    converted = edit_ops.apply(text, [e for f in findings for e in f.edits])
    assert converted.startswith("import sys\nsys.path.insert(0, '.')\nimport tensorflow as tf\n\n\nclass TF1GlorotUniform(")
    assert ")(TF1GlorotUniform)\n\n\nx = load()\n" in converted


def test_a_given_initializer_is_kept_and_a_bidirectional_layer_of_unknown_depth_keeps_keras_draws() -> None:
    converted, _ = run("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8, initializer=tf.orthogonal_initializer()), "
                       "x, dtype=tf.float32)\n")
    assert "TF1GlorotUniform" not in converted and "kernel_initializer=tf.orthogonal_initializer()" in converted
    converted, findings = run("o, s = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), "
                              "x, dtype=tf.float32)\n")
    assert "TF1GlorotUniform" not in converted and "one glorot-uniform matrix" in findings[0].message


def test_dropout_wrapper_becomes_dropout_of_the_whole_input_and_output_sequences() -> None:
    converted, findings = run("keep = tf.placeholder_with_default(1.0, [])\n"
                              "cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), input_keep_prob=keep, "
                              "output_keep_prob=0.75, seed=3)\nout, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n")
    assert converted.endswith("out, state = cell(tf.nn.dropout(x, rate=1 - keep))\n"
                              "out = tf.nn.dropout(out, rate=0.25)\n")
    assert "new mask per step" in findings[0].message


def test_variational_dropout_keeps_one_mask_over_the_time_and_batch_axes() -> None:
    converted, findings = run("cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), input_keep_prob=0.5, "
                              "variational_recurrent=True, dtype=tf.float32)\n"
                              "out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n")
    assert converted.endswith("out, state = cell(tf.nn.dropout(x, rate=0.5, noise_shape=[1, 1, tf.shape(x)[2]]))\n")
    assert "noise_shape [1, 1, depth]" in findings[0].message


def test_dropout_wrappers_of_stacked_cells_drop_between_the_layers() -> None:
    converted, _ = run("out, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.DropoutWrapper("
                       "tf.nn.rnn_cell.BasicRNNCell(2), output_keep_prob=kp) for _ in range(2)]), x, dtype=tf.float32)\n")
    assert converted.endswith("out_0, state_0 = rnn_cell_0(x)\nout_0 = tf.nn.dropout(out_0, rate=1 - kp)\n"
                              "out, state_1 = rnn_cell_1(out_0)\nout = tf.nn.dropout(out, rate=1 - kp)\n"
                              "state = (state_0, state_1)\n")


def test_sequence_length_becomes_a_mask_and_zeroes_the_outputs_past_it() -> None:
    converted, findings = run("cell = tf.nn.rnn_cell.GRUCell(4)\n"
                              "out, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)\n")
    assert converted.endswith("cell_mask = tf.sequence_mask(lengths, maxlen=tf.shape(x)[1])\n"
                              "out, state = cell(x, mask=cell_mask)\n"
                              "out = out * tf.cast(cell_mask, out.dtype)[:, :, tf.newaxis]\n")
    assert "TF1 zeroes them" in findings[0].message


@pytest.mark.parametrize(
    ("initial_state", "keras"),
    [
        pytest.param("tf.nn.rnn_cell.LSTMStateTuple(c0, h0)", "[h0, c0]", id="an LSTMStateTuple built in the call"),
        pytest.param("(c0, h0)", "[h0, c0]", id="a tuple"),
        pytest.param("start", "[start[1], start[0]]", id="a name"),
    ],
)
def test_an_lstm_initial_state_is_given_in_keras_order(initial_state: str, keras: str) -> None:
    converted, _ = run(f"o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8), x, initial_state={initial_state}, "
                       "dtype=tf.float32)\n")
    assert f"o, s_h, s_c = rnn(x, initial_state={keras})\n" in converted


def test_stacked_cells_take_their_own_initial_states_and_the_mask() -> None:
    converted, _ = run("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4), "
                       "tf.nn.rnn_cell.LSTMCell(4)]), x, sequence_length=n, initial_state=init, dtype=tf.float32)\n")
    assert converted.endswith(
        "rnn_mask = tf.sequence_mask(n, maxlen=tf.shape(x)[1])\n"
        "o_0, s_0 = rnn_cell_0(x, mask=rnn_mask, initial_state=[init[0]])\n"
        "o, s_1_h, s_1_c = rnn_cell_1(o_0, mask=rnn_mask, initial_state=[init[1][1], init[1][0]])\n"
        "o = o * tf.cast(rnn_mask, o.dtype)[:, :, tf.newaxis]\ns = (s_0, (s_1_c, s_1_h))\n")


@pytest.mark.parametrize("api", ["tf.nn.static_rnn", "tf.contrib.rnn.static_rnn"])
def test_static_rnn_stacks_its_steps_runs_the_layer_and_unstacks_the_outputs(api: str) -> None:
    converted, findings = run(f"outs, state = {api}(tf.nn.rnn_cell.BasicRNNCell(3), steps, sequence_length=n, "
                              "dtype=tf.float32)\n")
    assert converted.endswith("rnn_mask = tf.sequence_mask(n, maxlen=len(steps))\n"
                              "outs_sequence, state = rnn(tf.stack(steps, axis=1), mask=rnn_mask)\n"
                              "outs_sequence = outs_sequence * tf.cast(rnn_mask, outs_sequence.dtype)[:, :, tf.newaxis]\n"
                              "outs = tf.unstack(outs_sequence, axis=1)\n")
    assert [f.code for f in findings] == ["TF476"]


def test_time_major_inputs_and_outputs_are_transposed_around_the_layer() -> None:
    converted, _ = run("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, sequence_length=n, time_major=True, "
                       "dtype=tf.float32)\n")
    assert converted.endswith("rnn_mask = tf.sequence_mask(n, maxlen=tf.shape(x)[0])\n"
                              "o, s = rnn(tf.transpose(x, [1, 0, 2]), mask=rnn_mask)\n"
                              "o = o * tf.cast(rnn_mask, o.dtype)[:, :, tf.newaxis]\n"
                              "o = tf.transpose(o, [1, 0, 2])\n")


def manifest_unit(body: str) -> Unit:
    _, findings = run("x = tf.placeholder(tf.float32, [None, 5, 3])\n" + body)
    [unit] = [u for f in findings for u in f.units]
    return unit


def test_manifest_records_tf1_names_transforms_and_keras_shapes() -> None:
    unit = manifest_unit("o, s = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8, forget_bias=0.5), x, dtype=tf.float32)\n")
    assert [(w.tf1_name, w.attribute, w.shape, w.transform) for w in unit.weights] == [
        ("rnn/lstm_cell/kernel", "cell.kernel", (3, 32), "tf1_lstm.kernel"),
        ("rnn/lstm_cell/kernel", "cell.recurrent_kernel", (8, 32), "tf1_lstm.recurrent_kernel"),
        ("rnn/lstm_cell/bias", "cell.bias", (32,), "tf1_lstm.bias(forget_bias=0.5)"),
    ]
    assert unit.example.original == "tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8, forget_bias=0.5), inputs, " \
                                    "dtype=tf.float32)"
    assert unit.example.call == "(lambda outputs, h, c: (outputs, (c, h)))(*unit(inputs))"


def test_bidirectional_manifest_names_both_directions() -> None:
    unit = manifest_unit("f = tf.nn.rnn_cell.GRUCell(4, name='g')\nb = tf.nn.rnn_cell.GRUCell(4)\n"
                         "(a, c), (d, e) = tf.nn.bidirectional_dynamic_rnn(f, b, x, dtype=tf.float32)\n")
    assert {(w.tf1_name, w.attribute) for w in unit.weights} == {
        ("bidirectional_rnn/fw/g/gates/kernel", "forward_layer.cell.kernel"),
        ("bidirectional_rnn/fw/g/gates/kernel", "forward_layer.cell.recurrent_kernel"),
        ("bidirectional_rnn/fw/g/gates/bias", "forward_layer.cell.bias"),
        ("bidirectional_rnn/bw/gru_cell/gates/kernel", "backward_layer.cell.kernel"),
        ("bidirectional_rnn/bw/gru_cell/gates/kernel", "backward_layer.cell.recurrent_kernel"),
        ("bidirectional_rnn/bw/gru_cell/gates/bias", "backward_layer.cell.bias"),
    }
    assert "tf.nn.rnn_cell.GRUCell(4, name='g')" in unit.example.original


def test_the_manifest_example_runs_the_layer_without_dropout_mask_or_initial_state() -> None:
    unit = manifest_unit("c = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(8), output_keep_prob=0.5)\n"
                         "o, s = tf.nn.dynamic_rnn(c, x, sequence_length=n, initial_state=s0, dtype=tf.float32)\n")
    assert unit.example.original == "tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(8), inputs, dtype=tf.float32)"
