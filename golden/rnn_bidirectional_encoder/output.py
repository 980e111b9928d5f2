"""A bidirectional LSTM sentence encoder: forward and backward states concatenated into one vector."""
import numpy as np
import tensorflow as tf


def numpy_results(function):
    """Session.run returned numpy values; so do the functions that replace it."""

    def call(*args, **kwargs):
        results = function(*args, **kwargs)
        return tf.nest.map_structure(lambda value: value.numpy() if hasattr(value, "numpy") else value, results)

    return call


embed_dim, hidden = 8, 16

bidirectional_rnn = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(units=hidden, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, name="fw"), backward_layer=tf.keras.layers.LSTM(units=hidden, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, name="bw", go_backwards=True), merge_mode=None, name="bidirectional_rnn")


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
