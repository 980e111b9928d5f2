"""A sentiment classifier over padded sentences: an LSTM in a DropoutWrapper, stopped at each sentence's length."""
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


vocab_size, embed_dim, hidden, max_len = 40, 8, 16, 7

cell_initializer = TF1GlorotUniform(units=hidden, columns=[4 * hidden], input_depth=embed_dim)
cell = tf.keras.layers.LSTM(units=hidden, kernel_initializer=cell_initializer, recurrent_initializer=cell_initializer, unit_forget_bias=True, recurrent_activation="sigmoid", return_sequences=True, return_state=True, name="rnn")
classifier = tf.keras.layers.Dense(units=2, name="classifier")
optimizer = tf.keras.optimizers.Adam(
    learning_rate=1e-2, beta_1=0.8999999761581421, beta_2=0.9990000128746033, epsilon=1e-08
)


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, max_len, embed_dim], tf.float32),
    tf.TensorSpec([None], tf.int32),
    tf.TensorSpec([None], tf.int32),
    tf.TensorSpec([], tf.float32),
])
def train_step(words, lengths, labels, keep_prob=1.0):
    """Computes what sess.run([train_op, loss]) fetched."""
    with tf.GradientTape() as tape:
        cell_mask = tf.sequence_mask(lengths, maxlen=tf.shape(words)[1])
        outputs, final_state_h, final_state_c = cell(tf.nn.dropout(words, rate=1 - keep_prob), mask=cell_mask)
        final_state = (final_state_c, final_state_h)
        logits = classifier(final_state[1])
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    variables = tape.watched_variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return [None, loss]


@numpy_results
@tf.function(input_signature=[
    tf.TensorSpec([None, max_len, embed_dim], tf.float32),
    tf.TensorSpec([None], tf.int32),
    tf.TensorSpec([], tf.float32),
])
def compute_outputs(words, lengths, keep_prob=1.0):
    """Computes what sess.run(outputs) fetched."""
    cell_mask = tf.sequence_mask(lengths, maxlen=tf.shape(words)[1])
    outputs, final_state_h, final_state_c = cell(tf.nn.dropout(words, rate=1 - keep_prob), mask=cell_mask)
    outputs = tf.nn.dropout(outputs, rate=1 - keep_prob)
    outputs = outputs * tf.cast(cell_mask, outputs.dtype)[:, :, tf.newaxis]
    return outputs


rng = np.random.RandomState(0)
batch = rng.normal(size=(4, max_len, embed_dim)).astype(np.float32)
batch_lengths = np.array([7, 3, 5, 1])
batch[np.arange(max_len)[None, :] >= batch_lengths[:, None]] = 0.0
batch_labels = np.array([1, 0, 1, 0])
for step in range(3):
    feed = {"words": batch, "lengths": batch_lengths, "labels": batch_labels, "keep_prob": 0.8}
    _, loss_value = train_step(words=feed["words"], lengths=feed["lengths"], labels=feed["labels"], keep_prob=feed["keep_prob"])
    print(step, loss_value)
padded = compute_outputs(words=batch, lengths=batch_lengths)
print(np.abs(padded[1, 3:]).max())
