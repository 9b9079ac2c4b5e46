"""The builder's own words on the page (section headings, tier headings, footer), per language.

Takes a BCP 47 language tag; gives the labels for it, falling back to English for a language that
has none yet. Content text never comes from here.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "overview": "What you need to know",
        "symptoms": "Symptoms",
        "medications": "Your medicine",
        "medications_many": "Medicines",
        "side_effects": "Side effects",
        "seek_care": "When to get help",
        "glossary": "Words to know",
        "references": "Where this information comes from",
        "other_names": "Also called",
        "drug_class": "Type of medicine",
        "used_for": "What it is for",
        "how_to_take": "How to take it",
        "dose_notes": "Dose",
        "tips": "Tips",
        "avoid": "What to avoid",
        "missed_dose": "If you miss a dose",
        "emergency": "Call {number} or go to the emergency room now if you have:",
        "today": "Call your care team today if you have:",
        "next_visit": "Tell your care team at your next visit about:",
        "badge_emergency": "EMERGENCY",
        "badge_today": "TODAY",
        "badge_next_visit": "NEXT VISIT",
        "serious": "Serious",
        "warning": "Warning",
        "page": "Page {page} of {pages}",
        "version": "Version {version}",
        "reviewed": "Reviewed {date}",
        "review_due": "Next review {date}",
        "for": "For: {audience}",
    },
    "es": {
        "overview": "Lo que debe saber",
        "symptoms": "Síntomas",
        "medications": "Su medicamento",
        "medications_many": "Medicamentos",
        "side_effects": "Efectos secundarios",
        "seek_care": "Cuándo pedir ayuda",
        "glossary": "Palabras que debe conocer",
        "references": "De dónde viene esta información",
        "other_names": "También llamado",
        "drug_class": "Tipo de medicamento",
        "used_for": "Para qué sirve",
        "how_to_take": "Cómo tomarlo",
        "dose_notes": "Dosis",
        "tips": "Consejos",
        "avoid": "Qué evitar",
        "missed_dose": "Si olvida una dosis",
        "emergency": "Llame al {number} o vaya a urgencias ahora si tiene:",
        "today": "Llame hoy a su equipo de atención si tiene:",
        "next_visit": "Comente en su próxima visita:",
        "badge_emergency": "URGENCIA",
        "badge_today": "HOY",
        "badge_next_visit": "PRÓXIMA VISITA",
        "serious": "Grave",
        "warning": "Advertencia",
        "page": "Página {page} de {pages}",
        "version": "Versión {version}",
        "reviewed": "Revisado {date}",
        "review_due": "Próxima revisión {date}",
        "for": "Para: {audience}",
    },
}


def labels_for(language: str) -> dict[str, str]:
    """The labels for a language tag ('es-MX' uses 'es'); English where none exist."""
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])
