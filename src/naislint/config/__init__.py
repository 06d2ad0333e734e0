"""naislint's own configuration: ``.naislint.yml`` and friends, found, loaded, validated
and layered (``loader``), with each rule's options and the preset a site gets."""
