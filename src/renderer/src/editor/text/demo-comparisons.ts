/** The demo comparisons of resources/demo/comparisons.jsonl, for tests and the bench page. */
export const DEMO_COMPARISONS: {
  id: string;
  prompt: string;
  responses: { id: string; model?: string; text: string }[];
}[] = [
  {
    id: 'cmp-1',
    prompt: 'How do I reverse a list in Python?',
    responses: [
      {
        id: 'a',
        model: 'model-a',
        text: 'Use slicing:\n\n```python\nitems[::-1]\n```\n\nThis returns a **new** list. To reverse in place, call `items.reverse()`.',
      },
      {
        id: 'b',
        model: 'model-b',
        text: 'You can call `reversed(items)`, which gives an iterator. Wrap it in `list()` if you need a list.',
      },
    ],
  },
  {
    id: 'cmp-2',
    prompt: 'Give me one tip for staying focused while labeling data all day.',
    responses: [
      {
        id: 'a',
        model: 'model-a',
        text: "Work in 25-minute blocks with a 5-minute break (the Pomodoro technique), and learn the tool's hotkeys so your hands stay on the keyboard.",
      },
      {
        id: 'b',
        model: 'model-b',
        text: "Drink more coffee. <script>alert('x')</script> Also <b>never</b> take breaks.",
      },
      {
        id: 'c',
        model: 'model-c',
        text: '- Keep a checklist of the label guidelines next to you\n- Take short breaks\n- Review your own work every hour',
      },
    ],
  },
  {
    id: 'cmp-3',
    prompt: 'What is the capital of Australia?',
    responses: [
      {
        id: 'a',
        model: 'model-a',
        text: 'Sydney is the capital of Australia.',
      },
      {
        id: 'b',
        model: 'model-b',
        text: 'Canberra. It was chosen as a compromise between Sydney and Melbourne and has been the capital since 1913.',
      },
    ],
  },
];
