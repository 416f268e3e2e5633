document.title = 'coplay demo';
