"""A character-level GRU language model with tf.contrib.rnn cells, trained a few steps."""
import numpy as np
import tensorflow as tf

num_chars, hidden = 30, 24

chars = tf.placeholder(tf.float32, [None, 12, num_chars], name="chars")  # one-hot characters
next_chars = tf.placeholder(tf.int32, [None, 12], name="next_chars")

outputs, last_state = tf.nn.dynamic_rnn(tf.contrib.rnn.GRUCell(hidden), chars, dtype=tf.float32, scope="char_rnn")
logits = tf.layers.dense(outputs, num_chars, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=next_chars, logits=logits))
train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

ids = np.random.RandomState(1).randint(0, num_chars, size=(2, 13))
one_hot = np.eye(num_chars, dtype=np.float32)[ids[:, :-1]]
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(3):
        _, loss_value = sess.run([train_op, loss], feed_dict={chars: one_hot, next_chars: ids[:, 1:]})
        print(step, loss_value)
    print(sess.run(last_state, feed_dict={chars: one_hot}).shape)
