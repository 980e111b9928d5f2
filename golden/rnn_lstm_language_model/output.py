"""A word-level LSTM language model: embedding, dynamic_rnn over an LSTMCell, softmax over the vocabulary."""
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


vocab_size, embed_dim, hidden = 50, 16, 32

embedding = tf.keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim, embeddings_initializer=tf.keras.initializers.GlorotUniform(), name="embedding")
cell_initializer = TF1GlorotUniform(units=hidden, columns=[4 * hidden])
cell = tf.keras.layers.LSTM(units=hidden, kernel_initializer=cell_initializer, recurrent_initializer=cell_initializer, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, name="rnn")
softmax = tf.keras.layers.Dense(units=vocab_size, name="softmax")

optimizer = tf.keras.optimizers.Adam(
    learning_rate=1e-3, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, 10], tf.int32),
    tf.TensorSpec([None, 10], tf.int32),
])
def train_step(words, targets):
    """Computes what sess.run([train_op, loss]) fetched."""
    with tf.GradientTape() as tape:
        embedded = embedding(words)
        outputs, final_state_h, final_state_c = cell(embedded)
        logits = softmax(outputs)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


@numpy_results
@tf.function(input_signature=[tf.TensorSpec([None, 10], tf.int32)])
def compute_final_state(words):
    """Computes what sess.run(final_state) fetched."""
    embedded = embedding(words)
    outputs, final_state_h, final_state_c = cell(embedded)
    final_state = (final_state_c, final_state_h)
    return final_state


batch = np.random.RandomState(0).randint(0, vocab_size, size=(4, 11))
for step in range(3):
    _, loss_value = train_step(words=batch[:, :-1], targets=batch[:, 1:])
    print(step, loss_value)
state = compute_final_state(words=batch[:, :-1])
print(state[0].shape, state[1].shape)
