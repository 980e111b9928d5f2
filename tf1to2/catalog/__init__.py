"""What TF1's layers, initializers, regularizers, optimizers and RNN cells become in TF2 / Keras.

Pure data and small functions; nothing here imports TensorFlow (tests check the tables against TF 1.15
and the installed TF). Every table is keyed by the TF1 API name as ``analysis.imports.tf1_api_name``
spells it (``tf.layers.dense``, ``tf.contrib.layers.fully_connected``; Slim's ``tf.contrib.slim.conv2d``
and tf_slim resolve through aliases).

Turning a TF1 layer call into a Keras sublayer (what a converter does for each ``tf.layers`` /
contrib / Slim call it meets)::

    from tf1to2.catalog import layers, names, resolve

    record = layers.lookup(call.tf_name)              # None: not a layer the catalog knows
    scope = names.ScopeNames()                        # one per opening of the enclosing variable scope
    layer = layers.keras_constructor(
        record, call,                                 # an analysis.syntax.Call, or (keyword, text) pairs
        tf="tf", resolve=resolve.resolver(module.imports),
        name=None,                                    # or the TF1 default name, below
    )
    if layer.name is None and record.default_name:    # TF1 would have named it dense, dense_1, ...
        tf1_name = scope.default(record.default_name)
        layer = layers.keras_constructor(record, call, name=f'"{tf1_name}"', ...)
    # in __init__ / build:   self.fc = <layer.code>
    # in call:               h = <layer.call_code("self.fc")>   (passes layer.call_kwargs, e.g. training)
    #                        h = <layer.normalizer ...>(h); h = <layer.activation>(h)   when not None
    # manifest:              for w in layer.weights: f"{scope_path}/{tf1_name}/{w.tf1}" → f"fc.{w.keras}"
    # report:                layer.unmapped (arguments not carried over), layer.notes (numeric caveats)

``initializers.render``, ``regularizers.render`` and ``optimizers.render`` do the same for one TF1
initializer, regularizer or optimizer call (``render(lookup(api), call_args, tf="tf")`` → ``.code``,
``.unmapped``, ``.notes``; optimizers add ``.after_build``, the slot fix to run after
``optimizer.build``). ``rnn.lookup`` / ``rnn.keras_layer`` / ``rnn.weights`` describe RNN cells and the
``tf1to2.relayout`` transform of each weight.
"""
