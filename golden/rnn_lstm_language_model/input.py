"""A word-level LSTM language model: embedding, dynamic_rnn over an LSTMCell, softmax over the vocabulary."""
import numpy as np
import tensorflow as tf

vocab_size, embed_dim, hidden = 50, 16, 32

words = tf.placeholder(tf.int32, [None, 10], name="words")
targets = tf.placeholder(tf.int32, [None, 10], name="targets")

embedded = tf.contrib.layers.embed_sequence(words, vocab_size=vocab_size, embed_dim=embed_dim, scope="embedding")
cell = tf.nn.rnn_cell.LSTMCell(hidden, forget_bias=1.0)
outputs, final_state = tf.nn.dynamic_rnn(cell, embedded, dtype=tf.float32)
logits = tf.layers.dense(outputs, vocab_size, name="softmax")

loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits))
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

batch = np.random.RandomState(0).randint(0, vocab_size, size=(4, 11))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        _, loss_value = sess.run([train_op, loss], feed_dict={words: batch[:, :-1], targets: batch[:, 1:]})
        print(step, loss_value)
    state = sess.run(final_state, feed_dict={words: batch[:, :-1]})
    print(state[0].shape, state[1].shape)
