/** The demo texts of resources/demo/texts.jsonl, for tests and the bench page (renderer code cannot read files). */
export const DEMO_TEXTS: { id: string; title: string; text: string }[] = [
  {
    id: 'text-1',
    title: 'Hanoi office',
    text: 'Nguyễn Thị Lan joined Outrigger Labs in Hà Nội on 3 March 2025. She leads the Đà Nẵng team of twelve annotators 🙂.',
  },
  {
    id: 'text-2',
    title: 'Mumbai launch',
    text: 'Priya Sharma (प्रिया शर्मा) announced that Tata Consultancy Services will open a data centre in Mumbai next year.\r\nThe launch is planned for January.',
  },
  {
    id: 'text-3',
    title: 'Bangkok',
    text: 'สมชาย ใจดี ทำงานที่ธนาคารกรุงเทพ ในกรุงเทพมหานคร since 2019. He travels to Chiang Mai every month ✈️.',
  },
  {
    id: 'text-4',
    title: 'Manila',
    text: 'Maria Santos from Accenture Philippines visited Cebu City on Friday.\n\tShe met the QA reviewers there and praised their 99.2% accuracy.',
  },
  {
    id: 'text-5',
    title: 'Review',
    text: 'The new labeling tool from Outrigger saved our team in Ho Chi Minh City about two hours a day. Support answered within minutes. 👍🏽 Highly recommended.',
  },
];
