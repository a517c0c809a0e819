// Entry point of the `skiff` command.
console.log('skiff: not built yet');
