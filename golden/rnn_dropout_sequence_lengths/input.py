"""A sentiment classifier over padded sentences: an LSTM in a DropoutWrapper, stopped at each sentence's length."""
import numpy as np
import tensorflow as tf

vocab_size, embed_dim, hidden, max_len = 40, 8, 16, 7

words = tf.placeholder(tf.float32, [None, max_len, embed_dim], name="words")  # embedded words, zero-padded
lengths = tf.placeholder(tf.int32, [None], name="lengths")
labels = tf.placeholder(tf.int32, [None], name="labels")
keep_prob = tf.placeholder_with_default(1.0, [], name="keep_prob")

cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(hidden), input_keep_prob=keep_prob,
                                     output_keep_prob=keep_prob)
outputs, final_state = tf.nn.dynamic_rnn(cell, words, sequence_length=lengths, dtype=tf.float32)
logits = tf.layers.dense(final_state[1], 2, name="classifier")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(1e-2).minimize(loss)

rng = np.random.RandomState(0)
batch = rng.normal(size=(4, max_len, embed_dim)).astype(np.float32)
batch_lengths = np.array([7, 3, 5, 1])
batch[np.arange(max_len)[None, :] >= batch_lengths[:, None]] = 0.0
batch_labels = np.array([1, 0, 1, 0])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        feed = {words: batch, lengths: batch_lengths, labels: batch_labels, keep_prob: 0.8}
        _, loss_value = sess.run([train_op, loss], feed_dict=feed)
        print(step, loss_value)
    padded = sess.run(outputs, feed_dict={words: batch, lengths: batch_lengths})
    print(np.abs(padded[1, 3:]).max())
