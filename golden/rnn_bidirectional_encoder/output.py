"""A bidirectional LSTM sentence encoder: forward and backward states concatenated into one vector."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


class TF1GlorotUniform(tf.keras.initializers.Initializer):
    """TF1's RNN cells draw one glorot-uniform matrix over [inputs + state, columns]; Keras splits it into
    kernel (the inputs' rows) and recurrent_kernel (the state's). Each is uniform within the whole matrix's
    limit sqrt(6 / (input_depth + units + columns)), for each TF1 matrix of `columns` side by side (a GRU's
    gates and candidate). Given both, an instance learns input_depth from the kernel, which Keras builds first.
    """

    def __init__(self, units, columns, input_depth=None):
        self.units, self.columns, self.input_depth = units, list(columns), input_depth

    def __call__(self, shape, dtype=None, **kwargs):
        if self.input_depth is None:
            self.input_depth = shape[0]
        blocks = []
        for width in self.columns:
            limit = (6 / (self.input_depth + self.units + width)) ** 0.5
            blocks.append(tf.random.uniform([shape[0], width], -limit, limit, dtype=dtype or "float32"))
        return tf.concat(blocks, axis=1)

    def get_config(self):
        return {"units": self.units, "columns": self.columns, "input_depth": self.input_depth}


# Keras rebuilds a Bidirectional layer's forward layer from its configuration: it must find the class.
tf.keras.utils.register_keras_serializable("tf1to2")(TF1GlorotUniform)


embed_dim, hidden = 8, 16

bidirectional_rnn_fw_initializer = TF1GlorotUniform(units=hidden, columns=[4 * hidden], input_depth=embed_dim)
bidirectional_rnn_bw_initializer = TF1GlorotUniform(units=hidden, columns=[4 * hidden], input_depth=embed_dim)
bidirectional_rnn = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(units=hidden, kernel_initializer=bidirectional_rnn_fw_initializer, recurrent_initializer=bidirectional_rnn_fw_initializer, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, name="fw"), backward_layer=tf.keras.layers.LSTM(units=hidden, kernel_initializer=bidirectional_rnn_bw_initializer, recurrent_initializer=bidirectional_rnn_bw_initializer, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, name="bw", go_backwards=True), merge_mode=None, name="bidirectional_rnn")


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 6, embed_dim], tf.float32)])
def compute_token_features_and_sentence_vector(sentences):
    """Computes what sess.run([token_features, sentence_vector]) fetched."""
    outputs_fw, outputs_bw, state_fw_h, state_fw_c, state_bw_h, state_bw_c = bidirectional_rnn(sentences)
    state_fw = (state_fw_c, state_fw_h)
    state_bw = (state_bw_c, state_bw_h)
    token_features = tf.concat([outputs_fw, outputs_bw], axis=2)
    sentence_vector = tf.concat([state_fw[1], state_bw[1]], axis=1)  # the final h of each direction
    return [token_features, sentence_vector]


batch = np.random.RandomState(2).normal(size=(3, 6, embed_dim)).astype(np.float32)
features, vector = compute_token_features_and_sentence_vector(sentences=batch)
print(features.shape, vector.shape)
