module.exports = {
  displayName: 'aot-prompts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
