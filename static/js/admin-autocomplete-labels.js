'use strict';
// Select2 (the admin's autocomplete) names its combobox after the chosen option only, so an
// empty field has no accessible name. This adds the field's own <label> to that name.
{
    const $ = django.jQuery;

    function nameAfterLabel(select) {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        const container = select.nextElementSibling;
        if (!label || !container || !container.classList.contains('select2')) {
            return;
        }
        label.id = label.id || `${select.id}_label`;
        const combobox = container.querySelector('.select2-selection');
        const rendered = container.querySelector('.select2-selection__rendered');
        if (combobox) {
            const ids = [label.id, rendered && rendered.id].filter(Boolean);
            combobox.setAttribute('aria-labelledby', ids.join(' '));
        }
        if (rendered) {
            rendered.setAttribute('aria-labelledby', label.id);
        }
    }

    // Runs after autocomplete.js, which this script follows in the widget's media.
    $(function() {
        document.querySelectorAll('select.admin-autocomplete').forEach(nameAfterLabel);
    });
    document.addEventListener('formset:added', (event) => {
        event.target.querySelectorAll('select.admin-autocomplete').forEach(nameAfterLabel);
    });
}
