"""How leaflets look: a brand file (``brand``) turned into a ``Theme`` (``theme``) of styles,
colours and page geometry, with its registered fonts (``fonts``), the builder's own words per
language (``labels``) and the colour-contrast measure (``contrast``)."""
